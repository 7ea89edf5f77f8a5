/** System message for a model that receives pseudonymised text, so it keeps placeholders intact for restoring. */
export const pseudonymizationSystemMessage =
  'Some names, contact details, identifiers and secrets in this conversation have been replaced with placeholders ' +
  'such as [PERSON_1], [EMAIL_2] or [ACCOUNT_NUMBER_1]. Each placeholder stands for one real value, and the same ' +
  'placeholder always means the same value. Treat placeholders as opaque names: when you refer to one, copy it ' +
  'exactly as written, with its square brackets, capital letters, underscore and number. Do not translate, ' +
  'reformat, merge, split, explain or guess at placeholders, and do not invent new ones.';
