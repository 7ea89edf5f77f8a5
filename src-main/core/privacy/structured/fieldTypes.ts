import { nameLexicon } from '../language/nameLexicon';
import { readName } from '../language/readName';
import type { PiiType } from '../types';
import { isPlausibleSecretValue } from './secretValues';

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
    'recipient',
    // The same columns in French, Spanish, Italian, Portuguese, German, Dutch, Nordic, Polish, Czech, Finnish, Turkish
    ...['nom', 'prenom', 'nomdefamille', 'apellido', 'apellidos', 'nombre', 'nombres', 'cognome', 'nome', 'sobrenome'],
    ...['nachname', 'vorname', 'familienname', 'voornaam', 'achternaam', 'efternamn', 'fornamn', 'etternavn', 'fornavn'],
    ...['nazwisko', 'imie', 'prijmeni', 'jmeno', 'sukunimi', 'etunimi', 'soyad', 'soyadi', 'adsoyad', 'adi'],
    // Slovak, Croatian and Serbian, Hungarian, Romanian, Vietnamese, Danish and Norwegian, Swedish, Finnish, Dutch
    ...['meno', 'priezvisko', 'ime', 'prezime', 'imeiprezime', 'nev', 'vezeteknev', 'keresztnev', 'nume', 'prenume', 'hoten'],
    ...['navn', 'namn', 'nimi', 'naam']
  ].map((name) => [name, 'PERSON'] as const),
  ...[
    ...['phone', 'phonenumber', 'mobile', 'tel', 'telephone', 'cell', 'mobilephone'],
    ...['telefon', 'telefono', 'telefonnummer', 'handy', 'movil', 'celular', 'portable', 'puhelin']
  ].map((name) => [name, 'PHONE'] as const),
  ...[
    ...['address', 'streetaddress', 'street', 'address1', 'addressline1', 'homeaddress', 'postcode', 'zip', 'zipcode', 'postalcode'],
    ...['adresse', 'anschrift', 'direccion', 'indirizzo', 'endereco', 'adres', 'codigopostal', 'plz', 'cap']
  ].map((name) => [name, 'ADDRESS'] as const),
  ...[
    ...['city', 'town', 'country', 'province', 'birthplace'],
    ...['ort', 'stadt', 'wohnort', 'ville', 'ciudad', 'citta', 'cidade', 'miasto', 'kaupunki', 'sehir', 'land', 'pays', 'pais']
  ].map((name) => [name, 'LOCATION'] as const),
  // Also in German, French, Spanish, Portuguese, Italian, Dutch, Swedish, Danish/Norwegian, Polish, Czech, Finnish, Turkish
  ...[
    'dob',
    'dateofbirth',
    'birthdate',
    'birthday',
    'geburtsdatum',
    'datedenaissance',
    'fechadenacimiento',
    'datadenascimento',
    'datadinascita',
    'geboortedatum',
    'fodelsedatum',
    'fodselsdato',
    'dataurodzenia',
    'datumnarozeni',
    'syntymaaika',
    'dogumtarihi'
  ].map((name) => [name, 'DATE_OF_BIRTH'] as const),
  ...[
    'ssn',
    'nationalid',
    'nino',
    'nin',
    'taxid',
    'tin',
    'sin',
    'nir',
    'nhsnumber',
    'nhsno',
    'passport',
    'passportnumber',
    'pan',
    'pannumber',
    'aadhaar',
    'aadhaarnumber',
    'aadhar',
    'bsn',
    'pesel',
    'personnummer',
    'nric',
    // The national numbers of the Nordic, Central European, Iberian, Italian, Latin American and Balkan countries
    ...['fodselsnummer', 'cpr', 'cprnummer', 'hetu', 'henkilotunnus', 'rodnecislo', 'birthnumber'],
    ...['sozialversicherungsnummer', 'svnr', 'codicefiscale', 'dni', 'nie', 'nif', 'cpf'],
    ...['curp', 'oib', 'jmbg', 'emso', 'egn', 'amka', 'pps', 'ppsn', 'ppsnumber', 'bsnnummer', 'numerosecu'],
    ...['socialsecuritynumber', 'nationalinsurancenumber', 'ninumber', 'nationalidnumber', 'idnumber', 'personalnumber'],
    ...['personalidnumber', 'personalid', 'taxnumber', 'taxcode', 'tfn', 'sinnumber', 'aadhaarno', 'panno']
  ].map((name) => [name, 'NATIONAL_ID'] as const),
  ...[
    'account',
    'accountnumber',
    'acct',
    'accountno',
    'bankaccount',
    'sortcode',
    'routingnumber',
    'memberid',
    'policynumber',
    'policyno',
    'mrn',
    // Health ids: India's hospital and health-account numbers, Nigeria's, Ghana's and Kenya's health insurance schemes
    ...['uhid', 'abha', 'abhanumber', 'healthid', 'nhis', 'nhisnumber', 'nhisno', 'nhif', 'nhifnumber', 'hmo', 'hmonumber'],
    ...['insuranceid', 'insurancenumber', 'medicalrecordnumber', 'hospitalnumber', 'patientnumber']
  ].map((name) => [name, 'ACCOUNT_NUMBER'] as const),
  ...['company', 'organization', 'organisation', 'employer'].map((name) => [name, 'ORGANIZATION'] as const)
]);

/** Whose identifiers an "… id" or "… no" field holds: people and their accounts, not orders or builds */
const personIdOwners = new Set([
  'employee',
  'emp',
  'staff',
  'personnel',
  'payroll',
  'badge',
  'customer',
  'cust',
  'client',
  'member',
  'membership',
  'patient',
  'subscriber',
  'student',
  'loyalty',
  'policy',
  'insured',
  'beneficiary',
  'contractor',
  'worker',
  'account',
  'acct',
  'insurance',
  'frequentflyer',
  'frequentflier',
  'rewards'
]);
const idSuffixPattern = /^(.+?)(?:id|no|num|number|nr|code|ref)$/;
/** Name parts a combined header lists: "Surname, Given", "Last/First" */
const namePartFields = new Set(['given', 'first', 'last', 'family', 'sur', 'fore', 'givennames', 'names']);

/** A field name as the tables above spell it: "Födelsedatum" is "fodelsedatum", "Doğum tarihi" is "dogumtarihi" */
function fieldKey(name: string) {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/đ/g, 'd')
    .replace(/ł/g, 'l')
    .replace(/ø/g, 'o')
    .replace(/[^a-z0-9]/g, '');
}

/** The type of values labelled by a table header or key such as "First name", "first_name" or "firstName". */
export function typeOfField(name: string): PiiType | undefined {
  if (cjkNameFieldPattern.test(name)) return 'PERSON';

  const key = fieldKey(name);
  const known = fieldTypes.get(key) ?? fieldTypes.get(key.replace(/s$/, '')) ?? typeOfOwnedField(key);
  if (known != null) return known;

  // "Birth date (DD/MM/YYYY)", "date_of_birth_iso", "DOB (mm/dd)", "birth_dt"; not "birthplace" or "country of birth"
  if (/^(?:dob|dateofbirth|birthdate|birthday|birthdt|born|bday|birth$)/.test(key) || isForeignBirthDateField(key, name))
    return 'DATE_OF_BIRTH';

  const parts = name
    .toLowerCase()
    .split(/[,/&+]|\band\b/)
    .map((part) => part.replace(/[^a-z]/g, '').replace(/name$/, ''));
  if (parts.length >= 2 && parts.every((part) => namePartFields.has(part) || fieldTypes.get(`${part}name`) === 'PERSON')) return 'PERSON';

  return undefined;
}

/** Birth in the field names of other languages: "fecha_nacimiento", "dátum narodenia", "datum rođenja", "ngày sinh" */
const foreignBirthStemPattern =
  /nacimiento|naissance|nascimento|nascita|urodzenia|narozeni|narodenia|rodenja|rojstva|nasterii|szuletesi|ngaysinh|geboorte|fodelse|fodsel|syntyma|dogum/;
/** "Lieu de naissance", "miejsce urodzenia", "születési hely": the place of birth, not its date */
const birthPlacePattern = /lieu|lugar|luogo|local|place|miejsce|misto|mjesto|kraj|pays|pais|country|hely|sted|plats|paikka|yeri|ort$/;
const cjkBirthDatePattern = /生年月日|出生日期|생년월일/;
/** Name columns in Japanese, Chinese and Korean: 氏名, 名前, 姓名, 이름, 성명 */
const cjkNameFieldPattern = /^(?:氏名|名前|姓名|이름|성명)$/;

function isForeignBirthDateField(key: string, name: string) {
  return (foreignBirthStemPattern.test(key) && !birthPlacePattern.test(key)) || cjkBirthDatePattern.test(name);
}

/** Whose fields forms prefix to the field: "Applicant surname", "Patient DOB", "Guest mobile" */
const fieldOwnerPattern =
  /^(?:applicant|patient|customer|client|guest|passenger|employee|member|student|tenant|spouse|partner|insured|policyholder|caller|traveller|traveler|primary|secondary|home|work|personal)/;

/** A person's field with its owner before it; the rest must name a field on its own ("surname", not "id") */
function typeOfOwnedField(key: string): PiiType | undefined {
  const owner = fieldOwnerPattern.exec(key)?.[0];
  if (owner == null) return undefined;

  const rest = key.slice(owner.length);
  const type = fieldTypes.get(rest) ?? fieldTypes.get(rest.replace(/s$/, ''));
  return type === 'ACCOUNT_NUMBER' || type === 'ORGANIZATION' ? undefined : type;
}

/**
 * Credential columns of user exports ("username,password"), in the languages of the other columns; keys have their
 * own rules. Not "pass", which is as often a boarding, ski or day pass, nor "PIN", India's postal code.
 */
const secretColumns = new Set([
  ...['password', 'passwd', 'pwd', 'passphrase', 'passcode', 'secret', 'apikey', 'token', 'accesstoken'],
  ...['passwort', 'kennwort', 'motdepasse', 'contrasena', 'senha', 'wachtwoord', 'haslo', 'heslo', 'lozinka', 'salasana', 'passord'],
  ...['losenord', 'jelszo', 'adgangskode']
]);

/**
 * Columns named by the role of the person in them ("Passenger", "Assignee"); a key in prose or code with the same word
 * ("employee": 48213) holds other things too often. Not "Customer", "Owner", "Member", "Contact", "Host" or "Agent", which as often hold companies, teams, user names, machines or browsers.
 */
const personRoleColumns = new Set([
  ...['passenger', 'traveller', 'traveler', 'guest', 'attendee', 'participant', 'patient', 'tenant', 'student'],
  ...['candidate', 'applicant', 'employee', 'assignee', 'reporter', 'requester', 'requestedby', 'approver', 'approvedby'],
  ...['driver', 'caller', 'interviewer', 'interviewee', 'manager', 'supervisor', 'teacher', 'doctor', 'physician', 'nurse'],
  'volunteer'
]);

/**
 * The type of a table column: as `typeOfField`, "… id"/"… no" columns of people ("Employee No", "cust_id") hold
 * account identifiers, and password columns secrets. Keys in code and logs ("customer_id": 48213) are row ids more
 * often, so only tables infer the ids.
 */
export function typeOfColumn(name: string): PiiType | undefined {
  const type = typeOfField(name);
  if (type != null) return type;

  if (secretColumns.has(fieldKey(name))) return 'SECRET';

  // "Member #" is "Member No"
  const owner = idSuffixPattern.exec(
    name
      .toLowerCase()
      .replace(/#/g, 'no')
      .replace(/[^a-z0-9]/g, '')
  )?.[1];
  if (owner != null && personIdOwners.has(owner)) return 'ACCOUNT_NUMBER';

  return personRoleColumns.has(fieldKey(name).replace(/s$/, '')) && !name.includes('#') ? 'PERSON' : undefined;
}

/** Keys that say only "name" also label packages, jobs and hosts, so their values must look like a personal name. */
const genericNameFields = new Set(['name', 'fullname', 'holder', 'payee', 'recipient', 'beneficiary']);

/** "Surname, Given" and the airlines' "Surname/Given" are as much a name as "Given Surname" */
function isNameValue(value: string) {
  return value.split(/[,/][ \t]*/).every((part) => readName(part, 0, { lowercase: 'never' })?.end === part.length);
}

/** Whether a value fits the type its field promises; validated types still need their basic shape. */
export function isPlausibleFieldValue(type: PiiType, field: string, value: string) {
  if (value.trim() !== value || !/[\p{L}\p{N}]/u.test(value)) return false;

  switch (type) {
    case 'PERSON': {
      const key = fieldKey(field);
      if (personRoleColumns.has(key.replace(/s$/, '')))
        return isNameValue(value) && (/[\s,/]/.test(value) || !nameLexicon.isCommonWord(value) || nameLexicon.isKnownName(value));

      return genericNameFields.has(key) ? isNameValue(value) : /^[\p{L}\p{M}'’., -]+$/u.test(value) && !/^,|,$|,,/.test(value);
    }
    case 'LOCATION':
      return /^[\p{L}\p{M}'’., -]+$/u.test(value);
    case 'PHONE':
      return /^\+?[\d ().-]+$/.test(value) && value.replace(/\D/g, '').length >= 7;
    case 'ACCOUNT_NUMBER':
      // One identifier, not a sentence; short row numbers ("E-101") are not account identifiers
      return (
        /^[A-Za-z0-9./_#-]+(?: [A-Za-z0-9./_#-]+)*$/.test(value) &&
        !/[A-Za-z]{3,} [A-Za-z]{3,}/.test(value) &&
        /\d{4}/.test(value.replace(/[ -]/g, ''))
      );
    case 'DATE_OF_BIRTH':
    case 'NATIONAL_ID':
      return /\d/.test(value);
    case 'SECRET':
      // One word in a password column is a password unless it is a placeholder ("********", "n/a"); "not set" is a note
      return (
        !/\s/.test(value) &&
        !/^(?:n\/?a|tbd|unknown|unset|blank|empty|-+)$/i.test(value) &&
        isPlausibleSecretValue(value, 'namedSecret', { quoted: true, compact: false })
      );
    default:
      return true;
  }
}
