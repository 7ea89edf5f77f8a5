/** Provider key formats; each alternative is a named group so the provider can be reported. */
export const providerTokenPattern = new RegExp(
  [
    // The first letters of the prefixes below and a digit for Telegram's, checked before the costlier lookbehinds
    String.raw`(?=[sAgrwxyhnSe])(?<![A-Za-z0-9_-])(?:`,
    String.raw`(?<anthropic>sk-ant-[A-Za-z0-9_-]{20,300})`,
    String.raw`|(?<openai>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,300})`,
    String.raw`|(?<aws>(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})`,
    String.raw`|(?<github>gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})`,
    String.raw`|(?<gitlab>glpat-[A-Za-z0-9_-]{20,64})`,
    String.raw`|(?<slack>xox[abposre]-[A-Za-z0-9-]{10,250})`,
    String.raw`|(?<stripe>(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,250}|whsec_[A-Za-z0-9]{20,100})`,
    String.raw`|(?<google>AIza[0-9A-Za-z_-]{35}|ya29\.[0-9A-Za-z_-]{20,2048})`,
    String.raw`|(?<npm>npm_[A-Za-z0-9]{36})`,
    String.raw`|(?<huggingface>hf_[A-Za-z0-9]{30,64})`,
    String.raw`|(?<sendgrid>SG\.[\w-]{16,32}\.[\w-]{16,64})`,
    String.raw`|(?<jwt>eyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{4,8192}\.[A-Za-z0-9_-]{0,4096})`,
    String.raw`)(?![A-Za-z0-9_-])`,
    // Telegram bot tokens also stand inside bot URLs: "https://api.telegram.org/bot123456789:AA…/sendMessage"
    String.raw`|(?=\d)(?<=(?:^|[^A-Za-z0-9_-])(?:bot)?)(?<telegram>\d{8,10}:AA[A-Za-z0-9_-]{32,33})(?![A-Za-z0-9_-])`
  ].join(''),
  'g'
);

const secretParameterNamePattern =
  /^(?:[a-z0-9]+[_-]?)*(?:token|secret)$|^(?:[a-z0-9]+[_-])+(?:key|password|passwd|signature)$|^(?:api_?key|apikey|key|password|passwd|pwd|pass|passcode|otp|sig|signature|auth|session_?id|sessionid|sid|code|x-amz-signature|x-amz-credential|x-amz-security-token)$/i;
/** "accessKey", "adminPassword": camelCase only, since "sortkey" and "monkey" end in "key" too */
const camelCaseSecretParameterNamePattern = /^[a-z][a-z0-9]*(?:Key|Password|Signature)$/;

/** Query-string parameter names whose values are credentials: "token", "client_secret", "secret_key", "accessKey" */
export function isSecretParameterName(name: string) {
  return secretParameterNamePattern.test(name) || camelCaseSecretParameterNamePattern.test(name);
}

const placeholderValuePattern =
  /^(?:\$\{|\$[A-Z_]|%\(|%\{|%[sd]$|<[^>]*>$|\{\{|process\.env|os\.environ|env\(|getenv|\*+$|x{3,}$|\.{3,}|•+$|(?:null|none|nil|true|false|undefined|yes|no|on|off|required|optional|string|redacted|hidden|masked|example|bearer|basic|token|secret|password)$|your[-_ ])/i;

/** Example values from documentation, and code that reads a value rather than holding it */
const exampleValuePattern =
  /your.{0,12}(?:key|secret|token|password)|goes_?here|placeholder|dummy|changeme|^x{4,}|^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+(?:\(.*)?$/i;

export type SecretValueStrength = 'namedSecret' | 'namedKey';

/**
 * Whether a value assigned to a key-like name is a real credential rather than a placeholder or prose.
 * `namedSecret` names (password, token, secret) accept short values; `namedKey` names (key, auth, session)
 * need a long, high-entropy value because those words also name ordinary settings.
 */
export function isPlausibleSecretValue(
  value: string,
  strength: SecretValueStrength,
  {
    quoted,
    compact
  }: {
    quoted: boolean;

    /** Written as `NAME=value` without spaces, as in env files and query strings */
    compact: boolean;
  }
) {
  if (value.length < 4 || placeholderValuePattern.test(value) || exampleValuePattern.test(value) || /^(.)\1*$/.test(value)) return false;

  if (/^\d+$/.test(value)) return value.length >= 12;

  if (strength === 'namedKey') return value.length >= 16 && /\d/.test(value) && /[A-Za-z]/.test(value) && shannonEntropy(value) >= 3;

  if (quoted || compact) return true;

  // Letters alone pass with a capital inside ("XpqLmnRtsWvbYzA"), which ordinary words lack
  return value.length >= 6 && /[A-Za-z]/.test(value) && (/[^A-Za-z]/.test(value) || /[a-z][A-Z]/.test(value));
}

export function looksLikeRandomToken(value: string) {
  return value.length >= 20 && /\d/.test(value) && /[A-Za-z]/.test(value) && shannonEntropy(value) >= 3.5;
}

/** Bits per character of the value's own character distribution. */
export function shannonEntropy(value: string) {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);

  let entropy = 0;
  for (const count of counts.values()) {
    const probability = count / value.length;
    entropy -= probability * Math.log2(probability);
  }

  return entropy;
}
