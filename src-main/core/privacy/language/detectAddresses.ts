import type { EntityCandidate } from '../types';
import { eitherCase } from './eitherCase';
import { nameLexicon } from './nameLexicon';

/** "12", "12a", "84/92", "412-III" (a Dutch floor) */
const houseNumber = String.raw`\d{1,5}[A-Za-z]?(?:[-–/]\d{1,5}[A-Za-z]?|-[IVX]{1,4}(?![\p{L}]))?`;
const titleWord = String.raw`[\p{Lu}][\p{L}\p{M}'’.-]*`;
const streetWord = String.raw`(?:${titleWord}|\d{1,3}(?:st|nd|rd|th))`;
const englishStreetType = String.raw`(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Close|Crescent|Cres|Grove|Gardens|Row|Mews|Walk|Hill|Trail|Alley|Plaza|Parade|Quay|Wharf|Embankment|Rise|Causeway|Expressway|Pike|Loop|Crossing)\.?`;
const direction = String.raw`(?:[ \t]{1,8}(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?(?![\p{L}]))?`;
const unitBefore = String.raw`(?:(?:Flat|Apartment|Apt|Unit|Suite|Ste|Room)\.?[ \t]{0,8}[\dA-Za-z]{1,5},?[ \t]{1,8})?`;
const unitAfter = String.raw`(?:,?[ \t]{1,8}(?:Suite|Ste|Apt|Apartment|Unit|Floor|Fl|Room|#)\.?[ \t]{0,8}#?[\dA-Za-z-]{1,6})?`;
const ukPostcode = String.raw`[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}`;
/** US ZIP, UK, Canadian, Greek/Swedish ("105 63") and Australian four-digit postcodes */
const postalCode = String.raw`(?:\d{5}(?:-\d{4})?|${ukPostcode}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d|\d{3}[ \t]\d{2}|\d{4})(?![\p{L}\p{N}])`;
const localityName = String.raw`(?!(?:Tel|Phone|Email|Fax|Mobile|The|Please|Thanks|Suite|Apt|Dear)\b)[\p{Lu}][\p{L}\p{M}'’.-]+(?:[ \t]{1,8}[\p{Lu}][\p{L}\p{M}'’.-]+){0,3}`;
/** ", City", ", ST 12345", ", City SW1A 2AA", or the same on the next line when it carries a postcode */
const locality = String.raw`(?:,[ \t]{0,8}(?:${localityName}|District[ \t]{1,8}\d{1,2})(?:,?[ \t]{1,8}[A-Z]{2,3}(?![\p{L}]))?(?:[ \t]{1,8}${postalCode})?|[ \t]{0,8},?[ \t]{0,8}${postalCode}|[ \t]{0,8}\r?\n[ \t]{0,8}${localityName},?[ \t]{1,8}(?:[A-Z]{2,3}[ \t]{1,8})?${postalCode})`;
/** "10115 Berlin", "1060 Wien", "00-514 Warszawa", "4000-442 Porto", "03940 Ciudad de México" */
const postcodeCity = String.raw`(?:,?[ \t]{0,8}(?:\r?\n[ \t]{0,8})?(?:[A-Z]{1,2}-)?(?:\d{2}-\d{3}|\d{4}-\d{3}|\d{4,5})[ \t]{1,8}[\p{Lu}][\p{L}\p{M}'’-]+(?:[ \t]{1,4}(?:(?:de|del|la|am|an|im|sur|upon|on)[ \t]{1,4})?[\p{Lu}][\p{L}\p{M}'’-]+){0,2})`;

const centralEuropeanStreetEnding = /(?:ova|ovo|evo|ská|ska|ski|ica|ice|ulica|ulice|utca|cesta|trg|tér|út)$/i;

/** One comma-separated part of an Indian address: "Sai Krupa Apartments", "14th Main Road", "Sector 21", "HSR Layout" */
const indianSegment = String.raw`(?:${streetWord}|\d{1,4})(?:[ \t]{1,4}(?:${streetWord}|\d{1,4}|No\.?)){0,4}`;

/** `requires`: a cheap test of the whole text that the pattern cannot match without, to skip its scan */
/** Words after which "at" or "to" introduces where someone lives or sends things */
const addressCueWords =
  'residing resides resident living lives lived located situated domiciled office premises property delivered deliver ship ' +
  'shipped send sent moved moving';

const addressPatterns: readonly { name: string; pattern: RegExp; requires?: RegExp }[] = [
  {
    // 1600 Pennsylvania Avenue NW, Washington, DC 20500 / Flat 3, 88 Wilmslow Road, Manchester M20 3BY
    name: 'numberFirst',
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}])${unitBefore}${houseNumber}[ \t]{1,8}(?:(?:N|S|E|W)\.?[ \t]{1,8})?(?:${streetWord}[ \t]{1,8}){1,4}${englishStreetType}${direction}${unitAfter}(?![\p{L}\p{N}])(?:${locality}){0,3}`,
      'gu'
    )
  },
  {
    // 27 Peckham Rye, London SE15 4JR: no street type, but a city and postcode follow
    name: 'numberThenPostcode',
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}])${unitBefore}${houseNumber}[ \t]{1,8}(?:${titleWord}[ \t]{1,8}){0,2}${titleWord},[ \t]{0,8}${localityName}(?:,?[ \t]{1,8}[A-Z]{2,3})?[ \t]{1,8}${postalCode}`,
      'gu'
    )
  },
  {
    // 92 Nguyen Trai, District 1, Ho Chi Minh City
    name: 'district',
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}])${houseNumber}[ \t]{1,8}(?:${titleWord}[ \t]{1,8}){0,2}${titleWord},[ \t]{0,8}(?:District|Ward|Quận|Phường)[ \t]{1,8}\d{1,2}(?:${locality}){0,2}`,
      'gu'
    )
  },
  {
    // Hauptstraße 5, 10115 Berlin / Mariahilfer Straße 77, 1060 Wien / Karl Johans gate 22, 0159 Oslo
    name: 'streetThenNumber',
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}])(?:(?:${titleWord}[ \t]{1,8}){0,2}[\p{Lu}][\p{Ll}\p{M}ß-]*(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|markt|chaussee|gracht|straat|laan|plein|kade|vej|gade|gata|gatan|vägen|veien|tie|katu|kuja|polku|tori|väylä)|(?:${titleWord}[ \t]{1,8}){1,3}(?:Straße|Strasse|Str\.|Weg|Platz|Allee|Gasse|Ring|Damm|gate|gata|gatan|vej|gade|straat|laan))[ \t]{1,8}${houseNumber}(?:[ \t][A-H](?:[ \t]\d{1,3})?)?(?![\p{L}\p{N}])${postcodeCity}?`,
      'gu'
    )
  },
  {
    // Vinohradská 112, 130 00 Praha 3 / Ilica 242, 10000 Zagreb / Hlavná 5, 040 01 Košice: any street name, its
    // number, then a postcode and city (Czech and Slovak postcodes are written "130 00", Prague districts numbered)
    name: 'streetNumberPostcode',
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}])(?:${titleWord}[ \t]{1,8}){0,2}${titleWord}[ \t]{1,8}${houseNumber},[ \t]{0,8}(?:\d{3}[ \t]\d{2}|\d{2}-\d{3}|\d{4,5})[ \t]{1,8}[\p{Lu}][\p{L}\p{M}'’-]+(?:[ \t]{1,4}(?:\d{1,2}(?![\p{L}\p{N}])|[\p{Lu}][\p{L}\p{M}'’-]+)){0,2}`,
      'gu'
    )
  },
  {
    // Calle de Alcalá 48, 28014 Madrid / Via Roma 12, 00184 Roma / ul. Marszałkowska 84/92, 00-514 Warszawa
    name: 'streetTypeFirst',
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}])(?:Calle|C\/|Avenida|Avda\.?|Av\.|Calzada|Calz\.|Paseo|Plaza|Carrer|Carretera|Camino|Rambla|Via|Viale|Piazza|Corso|Largo|Rua|Rúa|Travessa|Praça|Alameda|ul\.|al\.|pl\.|os\.)[ \t]{1,8}(?:(?:de|del|de la|de los|de las|di|della|dei|da|do|dos|das)[ \t]{1,8})?(?:${titleWord}[ \t]{1,8}){0,3}${titleWord},?[ \t]{0,8}(?:n[ºo°]\.?[ \t]{0,8})?${houseNumber}(?![\p{L}\p{N}])${postcodeCity}?`,
      'gu'
    )
  },
  {
    // Carrera 7 # 71-21, Bogotá / Calle 100 No. 8A-55: Colombian streets are numbered, then cross street and distance
    name: 'colombian',
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}])(?:Calle|Carrera|Cra\.?|Cl\.?|Avenida|Av\.?|Transversal|Tv\.?|Diagonal|Dg\.?)[ \t]{1,4}\d{1,3}[A-Z]?(?:[ \t](?:Bis|Sur|Este))?[ \t]{0,4}(?:#|No\.?|N[º°])[ \t]{0,4}\d{1,3}[A-Z]?[ \t]?-[ \t]?\d{1,3}(?![\p{L}\p{N}])`,
      'gu'
    )
  },
  {
    // 12 rue de la Paix, 75002 Paris / 8 avenue des Champs-Élysées, 75008 Paris
    name: 'french',
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}])${houseNumber}(?:[ \t]?(?:bis|ter))?,?[ \t]{1,8}(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|route|cours|square|passage|faubourg)[ \t]{1,8}(?:(?:de la|de l['’]|des|du|de|d['’])[ \t]{0,8})?${titleWord}(?:[ \t]{1,8}${titleWord}){0,3}${postcodeCity}?`,
      'giu'
    )
  },
  {
    // House No. 5, Oxford Street, Osu, Accra / Plot 45, Independence Avenue, Accra: a plot or house, then its street
    name: 'plotThenStreet',
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}])(?:House|Plot|Block|Flat|Apartment|Apt|Unit|H\/No\.?)[ \t]{0,4}(?:No\.?[ \t]{0,4})?[\dA-Z][\dA-Za-z/-]{0,6},[ \t]{0,4}(?:${streetWord}[ \t]{1,8}){1,4}${englishStreetType}(?![\p{L}\p{N}])(?:${locality}){0,3}`,
      'gu'
    )
  },
  {
    // "residing at Nádražní 1234/5, Ostrava", "address: Ilica 25, Zagreb": after words that say an address follows, a street
    // and number then a town need no street type or postcode
    name: 'cuedStreetNumberTown',
    pattern: new RegExp(
      // The cue is matched, not looked behind for: a leading lookbehind is tried at every position of the text
      String.raw`(?<![\p{L}])(?:(?:${eitherCase(addressCueWords)})[ \t]{1,4}(?:at|to)|[Aa]ddress(?:[ \t]is)?[ \t]{0,4}[:-]?)[ \t]{1,4}(?<address>(?:${titleWord}[ \t]{1,8}){0,2}${titleWord}[ \t]{1,8}${houseNumber}(?:[ \t]m\.[ \t]\d{1,4})?,[ \t]{0,8}(?:\d{2}-\d{3}[ \t]{1,4})?${localityName}(?:[ \t]\d{1,2}(?![\p{L}\p{N}]))?)`,
      'gu'
    ),
    requires: new RegExp(`${addressCueWords.replace(/ /g, '|')}|address`, 'i')
  },
  {
    // Flat 4B, Sea View Apartments, Bandra West, Mumbai 400050 (Indian PIN code)
    name: 'unitWithPinCode',
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}])(?:Flat|House|Plot|Door|Apartment|Apt|Unit|H\.?[ \t]?No\.?|No\.)[ \t]{0,4}(?:No\.?[ \t]{0,4})?[\dA-Z][\dA-Za-z/-]{0,6},(?:[ \t]{0,4}${titleWord}(?:[ \t]{1,4}${titleWord}){0,3},){1,4}[ \t]{0,4}${titleWord}(?:[ \t]{1,4}${titleWord}){0,2}[ \t]{0,4}-?[ \t]{0,4}\d{3}[ \t]?\d{3}(?![\p{N}])`,
      'gu'
    )
  },
  {
    // Rose Cottage, Mill Lane, Little Snoring, Fakenham NR21 0AB: a UK house name instead of a number
    name: 'houseName',
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}])(?:${titleWord}[ \t]{1,8}){0,3}(?:Cottage|House|Farm|Farmhouse|Lodge|Barn|Manor|Villa|Grange|Mill|Croft|Rectory|Vicarage|Bungalow|Cottages|Mansions|Court|Hall|Barton|Oast|Orchard|View)(?:,[ \t]{0,8}|[ \t]{0,8}\r?\n[ \t]{0,8})(?:${houseNumber}[ \t]{1,8})?(?:${streetWord}[ \t]{1,8}){1,4}${englishStreetType}(?:(?:,[ \t]{0,8}|[ \t]{0,8}\r?\n[ \t]{0,8})${localityName}){0,3},?[ \t]{1,8}${ukPostcode}(?![\p{L}\p{N}])`,
      'gu'
    ),
    requires: new RegExp(ukPostcode)
  },
  {
    // Flat 302, Sai Krupa Apartments, 14th Main Road, HSR Layout, Bengaluru 560102 / No. 12, 2nd Cross, Jayanagar, Bengaluru - 560011
    name: 'indianPinCode',
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}])(?:(?:Flat|House|Plot|Door|Apartment|Apt|Unit|Shop|Villa|H\.?[ \t]?No\.?|No\.?|#)[ \t]{0,4}(?:No\.?[ \t]{0,4})?[\dA-Z][\dA-Za-z/-]{0,6}|\d{1,4}[A-Za-z]?(?:\/\d{1,4})?(?:[ \t]{1,4}${indianSegment})?),(?:[ \t]{0,4}${indianSegment},){1,5}[ \t]{0,4}${titleWord}(?:[ \t]{1,4}${titleWord}){0,2}(?:,[ \t]{0,4}${titleWord}(?:[ \t]{1,4}${titleWord}){0,2})?[ \t]{0,4}[-–,]?[ \t]{0,4}[1-8]\d{2}[ \t]?\d{3}(?![\p{N}])`,
      'gu'
    ),
    requires: /(?<!\d)[1-8]\d{2}[ \t]?\d{3}(?!\d)/
  },
  {
    // 1-2-3 Jingumae, Shibuya-ku, Tokyo 150-0001 / 4-chome-2-8 Shiba-koen, Minato-ku, Tokyo-to 105-0011
    name: 'japaneseRomanized',
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}-])(?:〒[ \t]?\d{3}-\d{4},?[ \t]{0,4})?(?:\d{1,2}-chome-\d{1,4}(?:-\d{1,4})?|\d{1,2}-\d{1,4}(?:-\d{1,4})?)[ \t]{1,8}${titleWord}(?:[ -]${titleWord}){0,2}(?:[ \t]\d{1,2}-chome)?,[ \t]{0,8}${titleWord}-(?:ku|shi|cho|machi|mura|gun)(?:,[ \t]{0,8}${titleWord}(?:-(?:to|fu|ken|shi))?)?(?:,?[ \t]{0,8}(?:〒[ \t]?)?\d{3}-\d{4})?`,
      'gu'
    ),
    requires: /-(?:ku|shi|cho|machi|mura|gun)\b/
  },
  {
    // 〒150-0001 東京都渋谷区神宮前1-2-3: prefecture, city or ward, district, then chome-ban-go
    name: 'japanese',
    pattern: new RegExp(
      String.raw`(?:〒[ \t]?\d{3}[-－]\d{4}[ \t　]{0,4})?(?:[\p{Script=Han}]{1,3}[都道府県])?[\p{Script=Han}\p{Script=Katakana}\p{Script=Hiragana}]{1,6}?[市区町村郡][\p{Script=Han}\p{Script=Katakana}\p{Script=Hiragana}]{0,8}[0-9０-９]{1,4}(?:丁目|[-－ー‐])[0-9０-９]{1,4}(?:(?:番地?|[-－ー‐])[0-9０-９]{1,4}号?)?`,
      'gu'
    ),
    requires: /[市区町村郡]/
  },
  {
    // 서울특별시 강남구 테헤란로 152 / 부산광역시 해운대구 해운대로 570번길 12, 301호: city or province, district, road, number
    name: 'korean',
    pattern: new RegExp(
      String.raw`(?:[\p{Script=Hangul}]{1,6}(?:특별시|광역시|특별자치시|특별자치도|도|시)[ \t]{1,4})?(?:[\p{Script=Hangul}]{1,6}(?:구|군|시)[ \t]{1,4})?[\p{Script=Hangul}\d]{1,10}(?:로|길|대로)(?:[ \t]?\d{1,4}번?길)?[ \t]{1,4}\d{1,5}(?:-\d{1,5})?(?:,?[ \t]{0,4}\d{1,5}호)?(?![\p{N}])`,
      'gu'
    ),
    requires: /[로길][ \t]{1,4}\d/
  },
  {
    // 北京市朝阳区建国路88号 / 上海市浦东新区世纪大道100号: province or city, district, road and number
    name: 'chinese',
    pattern: new RegExp(
      String.raw`(?:[\p{Script=Han}]{2,4}(?:省|自治区))?(?:[\p{Script=Han}]{2,4}市)?(?:[\p{Script=Han}]{1,4}(?:区|县|縣|區))?[\p{Script=Han}]{1,8}(?:路|街|道|大道|巷|弄|里)[0-9０-９一二三四五六七八九十百]{1,5}号(?:[0-9０-９]{1,4}(?:号楼|栋|室|单元))*`,
      'gu'
    ),
    requires: /[路街道巷弄里][0-9０-９一二三四五六七八九十百]{1,5}号/
  },
  {
    name: 'poBox',
    pattern: new RegExp(String.raw`(?<![\p{L}])P\.?[ \t]?O\.?[ \t]?Box[ \t]{1,8}\d{1,6}(?:${locality}){0,3}`, 'giu')
  },
  {
    // A postcode on its own, as in a form answer: SW1A 2AA
    name: 'ukPostcode',
    pattern: new RegExp(String.raw`(?<![\p{L}\p{N}-])${ukPostcode}(?![\p{L}\p{N}-])`, 'gu')
  }
];

/** What may continue an address after a comma or dash: floor and door, a district, a postcode, a city, a state code */
const tailSeparatorPattern = /^(?:,[ \t]{0,4}|[ \t]{1,4}[-–][ \t]{1,4}|[ \t]{1,4})/u;
const tailPlace = String.raw`[\p{Lu}][\p{L}\p{M}'’.-]+(?:[ \t]{1,4}(?:(?:de|del|de la|do|da|am|an|im|sur|upon|on)[ \t]{1,4})?[\p{Lu}][\p{L}\p{M}'’.-]+){0,3}`;
/** Kinds of tail part, each at the start of what follows a separator */
const tailPartPatterns = {
  // "28005 Madrid", "1016 JK Amsterdam", "01304-001", "90-926 Łódź", "600017"
  postcode: new RegExp(
    String.raw`^(?:\d{5}-\d{3}|\d{4}[ \t]?[A-Z]{2}|\d{2}-\d{3}|\d{3}[ \t]\d{2}|\d{4,6})(?![\p{L}\p{N}])(?:[ \t]{1,4}${tailPlace})?`,
    'u'
  ),
  // "2º A", "apto 62", "m. 7", "scala B", "Bât. C", "Col. Tlacopac", "Sector 45"
  unit: new RegExp(
    String.raw`^(?:\d{1,2}[ºª°](?:[ \t]?[\p{Lu}\d]{1,2})?|(?:apto|apt|ap|piso|planta|puerta|pta|esc|escalera|scala|int|interno|m|lok|bl|blok|bât|bat|bâtiment|étage|col|colonia|bairro|depto|dpto|oficina|sala|casa|lote|mz|manzana|phase|block|sector|wing|tower|floor)\.?[ \t]{1,4}[\p{L}\p{N}][\p{L}\p{N}-]{0,8}(?:[ \t][\p{Lu}][\p{L}\p{M}'’-]+){0,2})(?![\p{L}\p{N}])`,
    'iu'
  ),
  region: /^[A-Z]{2,4}(?![\p{L}\p{N}])/u,
  place: new RegExp(String.raw`^${tailPlace}(?:[ \t]\d{1,2}(?![\p{L}\p{N}]))?`, 'u')
};
const maxTailParts = 6;

/**
 * Reads on past a matched street: "…, 2º A, 28005 Madrid", "…, apto 62, Consolação, São Paulo - SP, 01304-001".
 * Returns where the address ends: after the last part that only an address has (a postcode, a unit, a state code,
 * a known city); district-like words count only when such a part follows. After a bare space only a postcode,
 * a state code or a numbered unit may follow ("Chennai 600017", "Piotrkowska 104 m. 7").
 */
function addressTailEnd(text: string, end: number) {
  let position = end;
  let confirmedEnd = end;
  for (let part = 0; part < maxTailParts; part++) {
    const rest = text.slice(position, position + 120);
    const separator = tailSeparatorPattern.exec(rest)?.[0];
    if (separator == null) break;

    const next = rest.slice(separator.length);
    const afterSpace = !/[,–-]/.test(separator);
    const unit = tailPartPatterns.unit.exec(next)?.[0];
    const strongPart =
      tailPartPatterns.postcode.exec(next)?.[0] ??
      (unit != null && (!afterSpace || /\d/.test(unit)) ? unit : undefined) ??
      tailPartPatterns.region.exec(next)?.[0];
    const place = afterSpace ? undefined : tailPartPatterns.place.exec(next)?.[0];
    const length = strongPart?.length ?? place?.length;
    if (length == null) break;

    position += separator.length + length;
    if (strongPart != null || nameLexicon.isPlace(place!)) confirmedEnd = position;
  }

  // A sentence's full stop after the city is not part of it
  return text[confirmedEnd - 1] === '.' && confirmedEnd > end ? confirmedEnd - 1 : confirmedEnd;
}

/**
 * Without a street type, the street must read as Central European ("Vinohradská", "Ilica", "Masarykova"): a letter
 * with a diacritic, a Slavic or Hungarian street ending, or a "130 00" postcode. "Version 12, 2024 Edition" is none.
 */
function hasStreetName(address: string) {
  const street = address.slice(0, address.search(/[ \t]\d/));
  return /[^\x00-\x7f]/.test(street) || centralEuropeanStreetEnding.test(street) || /,[ \t]{0,8}\d{3}[ \t]\d{2}[ \t]/.test(address);
}

/** Finds street addresses in US/UK, German-style, Romance and French formats, with their city and postcode. */
export function detectAddresses(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const { name, pattern, requires } of addressPatterns) {
    if (requires != null && !requires.test(text)) continue;

    for (const match of text.matchAll(pattern)) {
      // A cued pattern's address is its group after the cue
      const written = match.groups?.address ?? match[0];
      const start = match.index + match[0].length - written.length;
      const address = written.replace(/[\s,.]+$/, '');
      if (name === 'streetNumberPostcode' && !hasStreetName(address)) continue;
      // "located at Level 3, Building 2": with no street type, an English word before the number is no street
      if (name === 'cuedStreetNumberTown' && !hasStreetName(address) && nameLexicon.isEnglishWord(address.split(/[ \t]/)[0]!)) continue;

      const end = start + address.length;
      entities.push({
        type: 'ADDRESS',
        start,
        end: name === 'ukPostcode' ? end : addressTailEnd(text, end),
        score: name === 'ukPostcode' ? 0.7 : 0.9,
        detector: `address:${name}`
      });
    }
  }

  return entities;
}
