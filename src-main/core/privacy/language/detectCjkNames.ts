import type { EntityCandidate } from '../types';

/**
 * The commonest family names of China (about 85% of its people), Japan and Korea. Names in these scripts carry no
 * capitals, so a family name starting the run is the sign that it names someone.
 */
const chineseFamilyNames =
  '王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閆段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯';
const japaneseFamilyNames = (
  '佐藤 鈴木 高橋 田中 伊藤 渡辺 渡邊 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 斉藤 清水 山崎 森 池田 橋本 ' +
  '阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本 福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦 ' +
  '原田 中川 松田 竹内 小野 田村 中山 和田 石田 森田 上田 原 柴田 酒井 工藤 横山 宮崎 宮本 内田 高木 安藤 谷口 大野 丸山 今井 河野 ' +
  '藤本 村田 武田 上野 杉山 増田 小山 大塚 平野 菅原 久保 松井 千葉 岩崎 桜井 木下 野口 松尾 菊地 野村 新井 渡部 西田 北村 望月'
).split(' ');
const koreanFamilyNames = (
  '김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 남 심 노 하 곽 성 차 주 우 구 민 진 나 지 엄 ' +
  '채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 설 마 길 연 위 표 명 기 반 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 예 경 봉 사 부 ' +
  '황보 남궁 제갈 선우 독고'
).split(' ');

/** Titles written after the name: さん, 様, 先生 and 氏 in Japanese; 씨, 님, 선생님 in Korean; 先生, 女士, 小姐 in Chinese */
const honorificPattern = /[ \t]?(?:さん|様|さま|先生|氏|君|くん|ちゃん|선생님|씨|님|女士|小姐|老师|老師)/u;

/**
 * A run of ideographs, kana or Hangul with at most one space inside ("山田 太郎", "김민준"). Its ends must not touch
 * other letters of these scripts, so runs inside a sentence of Chinese or Japanese are not taken for names.
 */
const cjkRunPattern =
  /(?<![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}])[\p{sc=Han}\p{sc=Hangul}][\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]{0,4}(?:[ \t\u3000][\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]{1,4})?/gu;

/**
 * Chinese, Japanese and Korean names written in their own scripts, as they appear in English or European text:
 * "Name: 山田 太郎", "Met with 김민준", "王伟 (finance)". A run counts when it starts with a common family name and
 * stands apart from other text in these scripts, or when an honorific follows it ("田中さん", "민준님").
 */
export function detectCjkNames(text: string): EntityCandidate[] {
  if (!/[\p{sc=Han}\p{sc=Hangul}]/u.test(text)) return [];

  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(cjkRunPattern)) {
    const run = match[0];
    const name = nameBeforeHonorific(run) ?? isolatedName(run, text.charAt(match.index + run.length));
    if (name == null) continue;

    entities.push({ type: 'PERSON', start: match.index, end: match.index + name.length, score: 0.75, detector: 'person:cjkName' });
  }

  return entities;
}

/**
 * The name an honorific follows inside the run ("田中様へ" → "田中", "민준님" → "민준"): a family name, alone or with a
 * given name, or a given name of two to four characters ("花子さん"). "同様に" ("likewise") has neither.
 */
function nameBeforeHonorific(run: string): string | undefined {
  const honorific = honorificPattern.exec(run);
  if (honorific == null || honorific.index === 0) return undefined;

  const name = run.slice(0, honorific.index);
  const letters = name.replace(/[ \t\u3000]/g, '');
  return startsWithFamilyName(letters) || (letters.length >= 2 && letters.length <= 4) ? name : undefined;
}

function startsWithFamilyName(letters: string) {
  return (
    chineseFamilyNames.includes(letters[0]!) ||
    japaneseFamilyNames.some((family) => letters.startsWith(family)) ||
    koreanFamilyNames.some((family) => letters.startsWith(family))
  );
}

/** Words of Korean forms that start like a family name: "이메일" (email), "연락처" (contact)… */
const koreanFormWords = new Set(['이메일', '연락처', '휴대폰', '전화번호', '비밀번호', '주민번호', '생년월일', '우편번호']);

/**
 * A run that is a whole name: a family name and a short given name, in one script. Korean names alone must have three
 * syllables, as most do: two-syllable words that start like a family name are everywhere ("주소", address). A run
 * before a colon labels a field.
 */
function isolatedName(run: string, next: string): string | undefined {
  if (/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}:：]/u.test(next)) return undefined;

  const letters = run.replace(/[ \t\u3000]/g, '');
  if (/^\p{sc=Hangul}+$/u.test(letters))
    return (letters.length === 3 || (letters.length === 4 && /\s/.test(run))) &&
      !koreanFormWords.has(letters) &&
      koreanFamilyNames.some((family) => letters.startsWith(family))
      ? run
      : undefined;

  if (!/^\p{sc=Han}/u.test(letters) || /\p{sc=Hangul}/u.test(letters) || letters.length < 2 || letters.length > 5) return undefined;

  if (japaneseFamilyNames.some((family) => letters.startsWith(family) && letters.length > family.length)) return run;

  // Chinese names are two or three characters: one for the family, one or two given
  return letters.length <= 3 && chineseFamilyNames.includes(letters[0]!) && /^\p{sc=Han}+$/u.test(letters) ? run : undefined;
}
