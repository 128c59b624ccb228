/**
 * Name lists for demo participants, per script and language, each with its Latin transliteration (badges and lists
 * need one). Non-Latin entries are `[own script, Latin]`; Latin entries carry their diacritics.
 */
export type Script = 'arabic' | 'chinese' | 'cyrillic' | 'latin' | 'japanese' | 'korean' | 'persian';
export type Gender = 'f' | 'm';
export type NamePool = {
  script: Script;
  /** Given names by gender: a Ms is never "Mohamed", a Mr never "Fatima". */
  given: Record<Gender, [string, string][]>;
  family: [string, string][];
  locale: 'ar' | 'zh' | 'en' | 'fr' | 'ru' | 'es';
  /** Family names that change with gender (Russian "Иванов" / "Иванова"): the feminine form of each. */
  familyF?: [string, string][];
};

const latin = (xs: string): [string, string][] => xs.split(',').map((x) => [x.trim(), x.trim()]);
const pairs = (xs: string): [string, string][] => xs.split(',').map((x) => x.trim().split('|') as [string, string]);
const pool = (
  script: Script,
  locale: NamePool['locale'],
  f: [string, string][],
  m: [string, string][],
  family: [string, string][],
  familyF?: [string, string][],
): NamePool => ({ script, locale, given: { f, m }, family, familyF });

export const POOLS: Record<string, NamePool> = {
  arabic: pool(
    'arabic',
    'ar',
    pairs(
      'فاطمة|Fatima,عائشة|Aisha,ليلى|Leila,مريم|Mariam,نور|Nour,سلمى|Salma,رانيا|Rania,هدى|Huda,ياسمين|Yasmine,منى|Mona',
    ),
    pairs(
      'محمد|Mohamed,أحمد|Ahmed,يوسف|Youssef,خالد|Khaled,عمر|Omar,حسن|Hassan,طارق|Tarek,إبراهيم|Ibrahim,سعيد|Said,عبد الله|Abdullah',
    ),
    pairs(
      'الهاشمي|Al-Hashimi,بن علي|Ben Ali,المنصوري|Al-Mansouri,الشمري|Al-Shammari,حداد|Haddad,القحطاني|Al-Qahtani,العتيبي|Al-Otaibi,بوزيد|Bouzid,النعيمي|Al-Nuaimi,الخطيب|Al-Khatib,عبد الرحمن|Abdelrahman,السويدي|Al-Suwaidi,الفارسي|Al-Farsi,مصطفى|Moustafa,الزهراني|Al-Zahrani,بلقاسم|Belkacem',
    ),
  ),
  persian: pool(
    'persian',
    'en',
    pairs('مریم|Maryam,زهرا|Zahra,فاطمه|Fatemeh,نرگس|Narges,لیلا|Leila,سارا|Sara'),
    pairs('علی|Ali,محمد|Mohammad,رضا|Reza,حسین|Hossein,مهدی|Mahdi,امیر|Amir'),
    pairs('رضایی|Rezaei,محمدی|Mohammadi,حسینی|Hosseini,احمدی|Ahmadi,کریمی|Karimi,موسوی|Mousavi,جعفری|Jafari'),
  ),
  chinese: pool(
    'chinese',
    'zh',
    pairs('芳|Fang,静|Jing,丽|Li,敏|Min,艳|Yan,娟|Juan,秀英|Xiuying,海燕|Haiyan,晓红|Xiaohong,丹|Dan'),
    pairs(
      '伟|Wei,强|Qiang,军|Jun,磊|Lei,洋|Yang,杰|Jie,涛|Tao,明|Ming,超|Chao,建华|Jianhua,晓东|Xiaodong,志强|Zhiqiang',
    ),
    pairs(
      '王|Wang,李|Li,张|Zhang,刘|Liu,陈|Chen,杨|Yang,黄|Huang,赵|Zhao,吴|Wu,周|Zhou,徐|Xu,孙|Sun,马|Ma,朱|Zhu,胡|Hu,郭|Guo',
    ),
  ),
  japanese: pool(
    'japanese',
    'en',
    pairs('陽子|Yoko,恵子|Keiko,由美|Yumi,さくら|Sakura,美咲|Misaki,直子|Naoko'),
    pairs('健|Ken,浩|Hiroshi,誠|Makoto,大輔|Daisuke,拓也|Takuya,隆|Takashi'),
    pairs('佐藤|Sato,鈴木|Suzuki,高橋|Takahashi,田中|Tanaka,渡辺|Watanabe,伊藤|Ito,中村|Nakamura,小林|Kobayashi'),
  ),
  korean: pool(
    'korean',
    'en',
    pairs('서연|Seo-yeon,지민|Ji-min,수빈|Su-bin,민지|Min-ji,하은|Ha-eun,지영|Ji-young'),
    pairs('민준|Min-jun,서준|Seo-jun,도윤|Do-yun,현우|Hyun-woo,지훈|Ji-hoon,성민|Sung-min'),
    pairs('김|Kim,이|Lee,박|Park,최|Choi,정|Jung,강|Kang,조|Cho,윤|Yoon'),
  ),
  cyrillic: pool(
    'cyrillic',
    'ru',
    pairs(
      'Елена|Elena,Ольга|Olga,Наталья|Natalya,Татьяна|Tatyana,Ирина|Irina,Анна|Anna,Айгерим|Aigerim,Светлана|Svetlana',
    ),
    pairs(
      'Александр|Aleksandr,Дмитрий|Dmitry,Сергей|Sergey,Андрей|Andrey,Алексей|Aleksey,Михаил|Mikhail,Нурлан|Nurlan,Бахтияр|Bakhtiyar',
    ),
    pairs(
      'Иванов|Ivanov,Смирнов|Smirnov,Кузнецов|Kuznetsov,Попов|Popov,Соколов|Sokolov,Лебедев|Lebedev,Новиков|Novikov,Морозов|Morozov,Петров|Petrov,Волков|Volkov,Алиев|Aliyev,Жумабаев|Zhumabayev',
    ),
    pairs(
      'Иванова|Ivanova,Смирнова|Smirnova,Кузнецова|Kuznetsova,Попова|Popova,Соколова|Sokolova,Лебедева|Lebedeva,Новикова|Novikova,Морозова|Morozova,Петрова|Petrova,Волкова|Volkova,Алиева|Aliyeva,Жумабаева|Zhumabayeva',
    ),
  ),
  french: pool(
    'latin',
    'fr',
    latin('Amélie,Hélène,Léa,Chloé,Awa,Thérèse,Inès,Séverine,Aïssatou,Mariama'),
    latin('Émile,François,Jérôme,Noël,Mamadou,Benoît,Mathéo,Ousmane,Olivier,Didier'),
    latin('Ndiaye,Lefèvre,Dubois,Girard,Fontaine,Mercier,Traoré,Diallo,Koné,Bérubé,Rousseau,Lemaître,Ouédraogo,Camara'),
  ),
  spanish: pool(
    'latin',
    'es',
    latin('María,Sofía,Lucía,Camila,Valentina,Inés,Ximena,Gabriela'),
    latin('José,Martín,Andrés,Joaquín,Ramón,Agustín,Héctor,Santiago'),
    latin('García,Rodríguez,Martínez,López,Hernández,Pérez,Gómez,Núñez,Muñoz,Jiménez,Álvarez,Ibáñez,Castañeda,Peña'),
  ),
  portuguese: pool(
    'latin',
    'es',
    latin('Conceição,Márcia,Luíza,Graça,Beatriz,Fernanda'),
    latin('João,Gonçalo,Leônidas,Sebastião,Antônio,Estêvão'),
    latin('Gonçalves,Magalhães,Araújo,Simões,Conceição,Falcão,Assunção,Brandão,Guimarães,Lemos'),
  ),
  german: pool(
    'latin',
    'en',
    latin('Käthe,Grete,Anneliese,Ursula,Sabine,Jana'),
    latin('Jürgen,Björn,Uwe,Sören,Lukas,Matthias,Jürg'),
    latin('Müller,Schäfer,Köhler,Weiß,Hofmann,Bäcker,Schröder,Krüger,Zürcher'),
  ),
  nordic: pool(
    'latin',
    'en',
    latin('Åsa,Ingrid,Ástríður,Maja,Päivi,Sigrid'),
    latin('Søren,Bjørn,Jón,Eino,Ørjan,Lars'),
    latin('Ångström,Sørensen,Østergaard,Lindqvist,Järvinen,Hämäläinen,Nyström,Dahl'),
  ),
  turkish: pool(
    'latin',
    'en',
    latin('Gülşen,Öznur,Ayşe,Zeynep,Elif,Şule'),
    latin('Şükrü,Çağrı,İbrahim,Mehmet,Ümit,Barış'),
    latin('Yılmaz,Şahin,Öztürk,Çelik,Doğan,Aydın,Güneş,Kılıç,Erdoğan,Türkmen'),
  ),
  vietnamese: pool(
    'latin',
    'en',
    latin('Thị Hương,Thu Hà,Ngọc Anh,Thanh Mai,Minh Thư'),
    latin('Văn Đức,Minh Tuấn,Quốc Bảo,Hải Nam,Đức Anh'),
    latin('Nguyễn,Trần,Lê,Phạm,Hoàng,Đặng,Vũ,Bùi'),
  ),
  hungarian: pool(
    'latin',
    'en',
    latin('Ilona,Katalin,Zsuzsanna,Erzsébet,Éva'),
    latin('Zoltán,László,István,Gábor,Attila'),
    latin('Nagy,Kovács,Tóth,Szabó,Horváth,Varga,Kiss'),
  ),
  central_european: pool(
    'latin',
    'en',
    latin('Małgorzata,Zofia,Agnieszka,Lucie,Ana,Ivana,Jelena'),
    latin('Łukasz,Paweł,Wojciech,Tomáš,Jiří,Andrei,Marko'),
    latin('Wiśniewski,Wójcik,Kowalczyk,Dvořák,Novák,Popescu,Kovačević,Horvat'),
  ),
  greek: pool(
    'latin',
    'en',
    latin('Eleni,Maria,Katerina,Dimitra,Sofia'),
    latin('Georgios,Dimitrios,Konstantinos,Nikolaos,Ioannis'),
    latin('Papadopoulos,Georgiou,Dimitriou,Nikolaou,Konstantinou'),
  ),
  south_asian: pool(
    'latin',
    'en',
    latin('Priya,Ananya,Lakshmi,Fatima,Nusrat,Sunita,Kavya'),
    latin('Arjun,Rahul,Vikram,Imran,Rajesh,Anil,Tariq'),
    latin('Sharma,Patel,Singh,Iyer,Khan,Rahman,Chowdhury,Perera,Shrestha'),
  ),
  west_african: pool(
    'latin',
    'en',
    latin('Ngozi,Chinwe,Amara,Abena,Efua,Funmilayo,Adaeze'),
    latin('Kwame,Chukwuemeka,Kofi,Oluwaseun,Yaw,Babajide,Emeka'),
    latin('Okafor,Mensah,Adeyemi,Boateng,Okonkwo,Asante,Obi,Bello'),
  ),
  east_african: pool(
    'latin',
    'en',
    latin('Wanjiru,Achieng,Amina,Neema,Aster,Grace'),
    latin('Kamau,Otieno,Baraka,Juma,Tesfaye,Moses'),
    latin('Mwangi,Odhiambo,Kamau,Njoroge,Mutua,Haile,Okello,Mugisha'),
  ),
  southern_african: pool(
    'latin',
    'en',
    latin('Thandiwe,Nomvula,Tendai,Chipo,Lerato,Naledi'),
    latin('Sipho,Tendai,Thabo,Tinashe,Bongani,Kagiso'),
    latin('Moyo,Banda,Dlamini,Ndlovu,Nkosi,Phiri,Mokoena'),
  ),
  pacific: pool(
    'latin',
    'en',
    latin('Aroha,Mele,Losana,Sina,Ana'),
    latin('Siosaia,Tevita,Sione,Ratu,Iosefa'),
    latin('Taufa,Tuilagi,Vunipola,Fifita,Nakarawa'),
  ),
  southeast_asian: pool(
    'latin',
    'en',
    latin('Siti,Dewi,Nurul,Maria Clara,Rosalinda'),
    latin('Budi,Agus,Ahmad,Jose Miguel,Rizal'),
    latin('Santoso,Wijaya,Rahman,Santos,Reyes,Hidayat'),
  ),
  english: pool(
    'latin',
    'en',
    latin('Mary,Olivia,Grace,Emily,Sarah,Charlotte,Siobhan,Hannah'),
    latin('James,William,Daniel,Thomas,Michael,Liam,Patrick,David'),
    latin("Smith,O'Brien,Wilson,Johnson,Brown,Taylor,Murphy,Campbell,Evans,Robinson"),
  ),
};

const ARABIC = 'AE,BH,DZ,EG,IQ,JO,KW,LB,LY,MA,MR,OM,PS,QA,SA,SD,SO,SY,TN,YE,DJ,KM';
const LISTS: [string, string][] = [
  [ARABIC, 'arabic'],
  ['IR,AF', 'persian'],
  ['CN,SG', 'chinese'],
  ['JP', 'japanese'],
  ['KR,KP', 'korean'],
  ['RU,BY,KZ,KG,TJ,UZ,UA,BG,RS,MK,MN,AZ,AM,MD,ME,GE,TM', 'cyrillic'],
  ['FR,BE,CH,LU,MC,SN,CI,ML,BF,NE,TD,CM,GA,CG,CD,BJ,TG,GN,MG,HT,CF,RW,BI,SC,MU,VU', 'french'],
  ['ES,MX,AR,CO,CL,PE,VE,EC,BO,PY,UY,CR,PA,GT,HN,SV,NI,CU,DO,GQ', 'spanish'],
  ['BR,PT,AO,MZ,CV,GW,ST,TL', 'portuguese'],
  ['DE,AT,LI', 'german'],
  ['SE,NO,DK,FI,IS', 'nordic'],
  ['TR', 'turkish'],
  ['VN', 'vietnamese'],
  ['HU', 'hungarian'],
  ['PL,CZ,SK,HR,SI,RO,BA,AL,LT,LV,EE', 'central_european'],
  ['GR,CY', 'greek'],
  ['IN,PK,BD,LK,NP,BT,MV', 'south_asian'],
  ['NG,GH,LR,SL,GM', 'west_african'],
  ['KE,TZ,UG,ET,ER,SS,MW,ZM', 'east_african'],
  ['ZA,ZW,BW,NA,LS,SZ', 'southern_african'],
  ['FJ,TO,WS,TV,KI,NR,PG,SB,NZ', 'pacific'],
  ['ID,MY,PH,BN,TH,KH,LA,MM', 'southeast_asian'],
];

const byCountry = new Map<string, string>();
for (const [list, name] of LISTS) for (const c of list.split(',')) byCountry.set(c, name);

/** The name pool of a country (English names where no other list fits: the US, the UK, Australia…). */
export function poolFor(country: string): NamePool {
  return POOLS[byCountry.get(country) ?? 'english'];
}

/** A name for a person of this pool and gender: [given, givenLatin, family, familyLatin]. */
export function pickName(p: NamePool, gender: Gender, pick: <T>(xs: T[]) => T): [string, string, string, string] {
  const [given, givenLatin] = pick(p.given[gender]);
  const i = p.family.indexOf(pick(p.family));
  const [family, familyLatin] = gender === 'f' && p.familyF ? p.familyF[i] : p.family[i];
  return [given, givenLatin, family, familyLatin];
}

/** The honorific that fits a person without an office-bound one: Mr or Ms by gender, at times Dr. */
export function everydayHonorific(gender: Gender, x: number): string {
  if (x < 0.15) return 'Dr';
  if (x < 0.2) return '';
  return gender === 'f' ? 'Ms' : 'Mr';
}

/**
 * How many people a country sends, relative to others: a UN summit in Geneva has a large host and neighbour
 * delegation, large delegations from big Member States, and one or two from small ones.
 */
export const COUNTRY_WEIGHT: Record<string, number> = {
  CH: 14,
  FR: 7,
  US: 8,
  GB: 5,
  DE: 5,
  CN: 6,
  IN: 5,
  BR: 4,
  RU: 4,
  JP: 3,
  IT: 3,
  ES: 3,
  SA: 3,
  AE: 3,
  KR: 3,
  CA: 3,
  NG: 3,
  EG: 3,
  KE: 3,
  ZA: 3,
  ID: 2,
  MX: 2,
  TR: 2,
  AR: 2,
  PK: 2,
  BD: 2,
  MA: 2,
  SN: 2,
  GH: 2,
  ET: 2,
  RW: 2,
  TN: 2,
  DZ: 2,
  QA: 2,
  KZ: 2,
  UA: 2,
  PL: 2,
  NL: 2,
  BE: 2,
  SE: 2,
};
