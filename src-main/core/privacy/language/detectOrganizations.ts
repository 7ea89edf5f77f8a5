import type { EntityCandidate } from '../types';
import { nameLexicon } from './nameLexicon';
import { isNonNameWord } from './readName';

const orgWord = String.raw`(?:[\p{Lu}][\p{L}\p{M}&'’.-]*|&)`;
const legalOrSectorSuffix = String.raw`(?:sp\.[ \t]z[ \t]o\.o|A\.S|d\.o\.o|d\.d|a\.s|a\.d|spol\.[ \t]s[ \t]r\.o|JSC|Hotel|Hotels|Resort|Hostel|Airways|Dairies|Bakery|Brewery|Vineyards|K\.K|KK|Kabushiki[ \t]Kaisha|Co\.,?[ \t]Ltd|Sdn\.?[ \t]Bhd|Bhd|Pte\.?[ \t]Ltd|Tbk|S\.A\.S|S\.r\.l|Srl|e\.V|gGmbH|GbR|OHG|UG|ASA|AS|Oyj|PLLC|LP|Practice|Surgery|Dental|Dentistry|Pharmacy|Veterinary|Vets|Associates|Medical[ \t]Group|Health[ \t]Cent(?:re|er)|Solicitors|Chambers|Agency|Trading|Industries|Manufacturing|Assurance|Mutual|Inc|LLC|L\.L\.C|Ltd|Limited|GmbH|AG|KG|SA|SAS|S\.A|SARL|SpA|S\.p\.A|S\.L|S\.R\.L|Ltda|Lda|Seguros|Crédito|Versicherung|Sparkasse|Assurances|Mutuelle|BV|B\.V|NV|PLC|plc|Corp|Corporation|Company|Co|LLP|Pty(?:[ \t]Ltd)?|Pvt\.?[ \t]Ltd|Sp\.[ \t]z[ \t]o\.o|s\.r\.o|Kft|A\/S|ApS|AB|Oy|Group|Holdings|Bank|Hospital|Clinic|Infirmary|University|College|Institute|Foundation|Partners|Consulting|Labs|Laboratories|Technologies|Solutions|Systems|Software|Analytics|Pharma|Pharmaceuticals|Insurance|Telecom|Logistics|Traders|Robotics|Genomics|Dynamics|Freight|Properties|Engineering|Credit[ \t]Union|Medical[ \t]Cent(?:re|er)|Health|Capital|Ventures|Energy|Énergie|Airlines|Motors|Foods|Media|Studios|Hub|Centre|Center|Stores|Academy|Museum|Ministry|Society|Association|Council|School)`;
/** "Müller Schmidt GmbH & Co. KG": the words take "GmbH &", the suffix "Co.", and the partnership's "KG" ends the name */
const limitedPartnershipEnding = String.raw`(?:(?<=Co\.)[ \t]{1,4}KG)?`;
/** Institutions often continue with "of …": "Lahore University of Management Sciences" */
const institutionContinuation = String.raw`(?:(?<=(?:University|Institute|College|School|Bank|Academy|Museum|Ministry|Society|Association|Council|Foundation))[ \t]{1,4}of[ \t]{1,4}(?:the[ \t]{1,4})?${orgWord}(?:[ \t]{1,4}${orgWord}){0,3})?`;
/** Names join words with lower-case particles: "Caixa Regional de Crédito", "Bank für Arbeit", "Dupont et Fils", "Novák a syn" */
const orgParticle = String.raw`(?:(?:de|del|da|do|di|du|des|für|und|et|och|og|y|e|i|a(?:[ \t]{1,4}syn(?:ové)?)?)[ \t]{1,8})?`;
const organizationPattern = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:The[ \t]{1,8})?(?:${orgWord}[ \t]{1,8}${orgParticle}){1,4}${legalOrSectorSuffix}\.?${limitedPartnershipEnding}${institutionContinuation}(?![\p{L}\p{N}])`,
  'gu'
);
/** A separate scan, so that "Grand Hotel Europa" is not cut short by the suffix form's "Grand Hotel" */
const prefixedOrganizationPattern = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:Bank|University|Universidad|Universität|Banco|Banque|Caixa|Caja|Clínica|Clinica|Klinik|Hospital|Hotel|Grand[ \t]Hotel)[ \t]{1,8}(?:of[ \t]{1,8}|de[ \t]{1,8})?${orgWord}(?:[ \t]{1,8}${orgWord}){0,2}`,
  'gu'
);
const upperCaseOrganizationPattern = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:[\p{Lu}&]{2,}[ \t]{1,8}){1,3}(?:INC|LLC|LTD|LIMITED|GMBH|AG|SA|SAS|PLC|CORP|CORPORATION|COMPANY|CO|LLP|GROUP|HOLDINGS|BANK|STORES|LOGISTICS)(?![\p{L}\p{N}])`,
  'gu'
);
/** A final period ends the sentence unless it closes an abbreviated legal form ("Inc.", "S.A.") */
const sentencePeriod =
  /(?<!(?:^|[^\p{L}])(?:Inc|Ltd|Lda|Co|Corp|Bros|K\.K|S\.A\.S|e\.V|S\.r\.l|S\.A|B\.V|S\.p\.A|L\.L\.C|S\.L|S\.R\.L|o\.o|s\.r\.o|Kft|a\.s|d\.d|a\.d|A\.S))\.$/u;
const lowercaseConnectors = /[ \t]{1,8}(?:of|de)[ \t]{1,8}$/;
const leadingDeterminers = /^(?:(?:This|That|These|Those|Our|Your|Their|His|Her|Its|My|A|An|Any|Each|Every|No|Some)[ \t]{1,8})+/u;
/** Suffix words that describe rather than name when a noun follows ("National Insurance number") */
const descriptiveUseFollowers = /^[ \t]{1,8}(?:number|no\b|card|policy|claim|agreement|contract|fee|account)/i;

/** Words that introduce an organisation by its role: "our insurer Helvetia", "works at Northwind", "client Globex" */
const roleCuePattern = new RegExp(
  String.raw`(?<![\p{L}])(?:insurer|insurance[ \t](?:company|provider|carrier)|vendor|supplier|employer|contractor|subcontractor|carrier|reseller|distributor|manufacturer|landlord[ \t]company|(?:our|the|their|a|new)[ \t]client|client[ \t](?:company|account)|works?[ \t](?:at|for)|working[ \t](?:at|for)|employed[ \t](?:at|by)|(?:job|internship|position|role)[ \t]at|(?:engineer|manager|developer|analyst|consultant|director|designer|recruiter|accountant|intern)[ \t]at|joined|acquired[ \t]by|ceo[ \t]of|founder[ \t]of)[ \t]{1,4}`,
  'giu'
);
const roleNamePattern = new RegExp(
  String.raw`^(${orgWord}(?:[ \t]{1,4}(?:${orgWord}|of|de|and))*?[ \t]{0,4}${orgWord})(?![\p{L}\p{N}])`,
  'u'
);
const singleOrgWordPattern = new RegExp(String.raw`^([\p{Lu}][\p{L}\p{M}&'’-]+)(?![\p{L}\p{N}])`, 'u');

/** Finds organisations by legal or sector suffix ("… GmbH", "… Hospital") or prefix ("Bank of …", "Hotel …"). */
export function detectOrganizations(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [...detectByRole(text)];
  for (const pattern of [organizationPattern, prefixedOrganizationPattern, upperCaseOrganizationPattern])
    for (const match of text.matchAll(pattern)) {
      const withoutDeterminer = match[0].replace(leadingDeterminers, '');
      const name = withoutDeterminer.replace(sentencePeriod, '').replace(lowercaseConnectors, '');
      const start = match.index + match[0].length - withoutDeterminer.length;
      const nameWords = name.split(/[ \t]+/).slice(0, -1);
      // Upper-case text is often a shouted sentence ("INCLUDING BUT NOT LIMITED"), so its words must not all be everyday ones
      const isEverydayPhrase =
        pattern === upperCaseOrganizationPattern && nameWords.every((word) => nameLexicon.isCommonWord(word) || isNonNameWord(word));
      if (
        nameWords.length === 0 ||
        isEverydayPhrase ||
        descriptiveUseFollowers.test(text.slice(start + name.length, start + name.length + 16))
      )
        continue;

      entities.push({ type: 'ORGANIZATION', start, end: start + name.length, score: 0.8, detector: 'organization' });
    }

  return entities;
}

/**
 * A capitalised name after a role word. It must not read as a person or a place (known names, places and
 * everyday words are left to their own detectors) and scores below the suffix rule.
 */
function detectByRole(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const cue of text.matchAll(roleCuePattern)) {
    const start = cue.index + cue[0].length;
    const after = text.slice(start, start + 80);
    const name = (roleNamePattern.exec(after)?.[1] ?? singleOrgWordPattern.exec(after)?.[1])?.replace(/[.'’]+$/, '');
    if (name == null) continue;

    const words = name.split(/[ \t]+/).slice(0, 4);
    const first = words[0]!;
    if (
      isNonNameWord(first) ||
      nameLexicon.isKnownName(first) ||
      nameLexicon.isPlace(name) ||
      words.every((word) => nameLexicon.isCommonWord(word) || isNonNameWord(word))
    )
      continue;

    const taken = words.join(' ');
    entities.push({
      type: 'ORGANIZATION',
      start,
      end: start + (name.indexOf(taken) === 0 ? taken.length : name.length),
      score: 0.8,
      detector: 'organization:role'
    });
  }

  return entities;
}
