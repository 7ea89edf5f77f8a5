import { readName } from '../language/readName';
import type { PiiType } from '../types';

/**
 * Field names (lower-cased, letters and digits only) and the type of the values they label.
 * Emails, cards and IBANs are left out: their own validators find them with exact bounds.
 */
const fieldTypes = new Map<string, PiiType>([
  ...[
    'name',
    'fullname',
    'firstname',
    'lastname',
    'givenname',
    'surname',
    'familyname',
    'middlename',
    'forename',
    'customername',
    'clientname',
    'patientname',
    'contactname',
    'employeename',
    'accountholder',
    'holder',
    'beneficiary',
    'payee',
    'recipient'
  ].map((name) => [name, 'PERSON'] as const),
  ...['phone', 'phonenumber', 'mobile', 'tel', 'telephone', 'cell', 'mobilephone'].map((name) => [name, 'PHONE'] as const),
  ...['address', 'streetaddress', 'street', 'address1', 'addressline1', 'homeaddress', 'postcode', 'zip', 'zipcode', 'postalcode'].map(
    (name) => [name, 'ADDRESS'] as const
  ),
  ...['city', 'town', 'country', 'province', 'birthplace'].map((name) => [name, 'LOCATION'] as const),
  ...['dob', 'dateofbirth', 'birthdate', 'birthday'].map((name) => [name, 'DATE_OF_BIRTH'] as const),
  ...['ssn', 'nationalid', 'nino', 'nin', 'taxid', 'tin', 'sin', 'nir', 'nhsnumber', 'passport', 'passportnumber'].map(
    (name) => [name, 'NATIONAL_ID'] as const
  ),
  ...['account', 'accountnumber', 'acct', 'accountno', 'memberid', 'policynumber', 'mrn'].map((name) => [name, 'ACCOUNT_NUMBER'] as const),
  ...['company', 'organization', 'organisation', 'employer'].map((name) => [name, 'ORGANIZATION'] as const)
]);

/** The type of values labelled by a table header or key such as "First name", "first_name" or "firstName". */
export function typeOfField(name: string) {
  return fieldTypes.get(name.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/** Keys that say only "name" also label packages, jobs and hosts, so their values must look like a personal name. */
const genericNameFields = new Set(['name', 'fullname', 'holder', 'payee', 'recipient', 'beneficiary']);

/** Whether a value fits the type its field promises; validated types still need their basic shape. */
export function isPlausibleFieldValue(type: PiiType, field: string, value: string) {
  if (value.trim() !== value || !/[\p{L}\p{N}]/u.test(value)) return false;

  switch (type) {
    case 'PERSON':
      return genericNameFields.has(field.toLowerCase().replace(/[^a-z]/g, ''))
        ? readName(value, 0, { lowercase: 'never' })?.end === value.length
        : /^[\p{L}\p{M}'’. -]+$/u.test(value);
    case 'LOCATION':
      return /^[\p{L}\p{M}'’., -]+$/u.test(value);
    case 'PHONE':
      return /^\+?[\d ().-]+$/.test(value) && value.replace(/\D/g, '').length >= 7;
    case 'DATE_OF_BIRTH':
    case 'ACCOUNT_NUMBER':
    case 'NATIONAL_ID':
      return /\d/.test(value);
    default:
      return true;
  }
}
