/**
 * Name lists for demo participants, per script and language, each with its Latin transliteration (badges and lists
 * need one). Non-Latin entries are `[own script, Latin]`; Latin entries carry their diacritics.
 */
export type Script = 'arabic' | 'chinese' | 'cyrillic' | 'latin';
export type NamePool = {
  script: Script;
  given: [string, string][];
  family: [string, string][];
  locale: 'ar' | 'zh' | 'en' | 'fr' | 'ru' | 'es';
};

const latin = (xs: string): [string, string][] => xs.split(',').map((x) => [x.trim(), x.trim()]);
const pairs = (xs: string): [string, string][] => xs.split(',').map((x) => x.trim().split('|') as [string, string]);

export const POOLS: Record<string, NamePool> = {
  arabic: {
    script: 'arabic',
    locale: 'ar',
    given: pairs(
      'محمد|Mohamed,أحمد|Ahmed,فاطمة|Fatima,عائشة|Aisha,يوسف|Youssef,ليلى|Leila,خالد|Khaled,مريم|Mariam,عمر|Omar,نور|Nour,سلمى|Salma,حسن|Hassan,رانيا|Rania,طارق|Tarek,هدى|Huda,إبراهيم|Ibrahim,ياسمين|Yasmine,سعيد|Said,منى|Mona,عبد الله|Abdullah',
    ),
    family: pairs(
      'الهاشمي|Al-Hashimi,بن علي|Ben Ali,المنصوري|Al-Mansouri,الشمري|Al-Shammari,حداد|Haddad,القحطاني|Al-Qahtani,العتيبي|Al-Otaibi,بوزيد|Bouzid,النعيمي|Al-Nuaimi,الخطيب|Al-Khatib,عبد الرحمن|Abdelrahman,السويدي|Al-Suwaidi,الفارسي|Al-Farsi,مصطفى|Moustafa,الزهراني|Al-Zahrani,بلقاسم|Belkacem',
    ),
  },
  chinese: {
    script: 'chinese',
    locale: 'zh',
    given: pairs(
      '伟|Wei,芳|Fang,静|Jing,强|Qiang,丽|Li,军|Jun,敏|Min,磊|Lei,洋|Yang,艳|Yan,杰|Jie,娟|Juan,涛|Tao,明|Ming,超|Chao,秀英|Xiuying,建华|Jianhua,晓东|Xiaodong,海燕|Haiyan,志强|Zhiqiang',
    ),
    family: pairs(
      '王|Wang,李|Li,张|Zhang,刘|Liu,陈|Chen,杨|Yang,黄|Huang,赵|Zhao,吴|Wu,周|Zhou,徐|Xu,孙|Sun,马|Ma,朱|Zhu,胡|Hu,郭|Guo',
    ),
  },
  cyrillic: {
    script: 'cyrillic',
    locale: 'ru',
    given: pairs(
      'Александр|Aleksandr,Елена|Elena,Дмитрий|Dmitry,Ольга|Olga,Сергей|Sergey,Наталья|Natalya,Андрей|Andrey,Татьяна|Tatyana,Алексей|Aleksey,Ирина|Irina,Михаил|Mikhail,Анна|Anna,Нурлан|Nurlan,Айгерим|Aigerim,Бахтияр|Bakhtiyar,Светлана|Svetlana',
    ),
    family: pairs(
      'Иванов|Ivanov,Смирнова|Smirnova,Кузнецов|Kuznetsov,Попова|Popova,Соколов|Sokolov,Лебедева|Lebedeva,Новиков|Novikov,Морозова|Morozova,Петров|Petrov,Волкова|Volkova,Назарбаев|Nazarbayev,Алиева|Aliyeva,Ковальчук|Kovalchuk,Жумабаев|Zhumabayev',
    ),
  },
  french: {
    script: 'latin',
    locale: 'fr',
    given: latin(
      'Aïssatou,Amélie,Émile,François,Hélène,Jérôme,Léa,Noël,Chloé,Mamadou,Awa,Thérèse,Benoît,Mathéo,Inès,Séverine',
    ),
    family: latin(
      'Ndiaye,Lefèvre,Dubois,Girard,Fontaine,Mercier,Traoré,Diallo,Koné,Bérubé,Rousseau,Lemaître,Ouédraogo,Camara',
    ),
  },
  spanish: {
    script: 'latin',
    locale: 'es',
    given: latin('José,María,Sofía,Martín,Lucía,Andrés,Camila,Joaquín,Valentina,Ramón,Inés,Agustín,Ximena,Héctor'),
    family: latin(
      'García,Rodríguez,Martínez,López,Hernández,Pérez,Gómez,Núñez,Muñoz,Jiménez,Álvarez,Ibáñez,Castañeda,Peña',
    ),
  },
  portuguese: {
    script: 'latin',
    locale: 'es',
    given: latin('João,Conceição,Gonçalo,Leônidas,Márcia,Sebastião,Luíza,Antônio,Graça,Estêvão'),
    family: latin('Gonçalves,Magalhães,Araújo,Simões,Conceição,Falcão,Assunção,Brandão,Guimarães,Lemos'),
  },
  german: {
    script: 'latin',
    locale: 'en',
    given: latin('Jürgen,Käthe,Björn,Grete,Uwe,Sören,Lukas,Anneliese,Matthias,Jürg'),
    family: latin('Müller,Schäfer,Größ,Köhler,Weiß,Hofmann,Bäcker,Schröder,Krüger,Zürcher'),
  },
  nordic: {
    script: 'latin',
    locale: 'en',
    given: latin('Åsa,Søren,Bjørn,Ingrid,Ástríður,Jón,Maja,Eino,Päivi,Ørjan'),
    family: latin('Ångström,Sørensen,Østergaard,Lindqvist,Guðmundsdóttir,Järvinen,Hämäläinen,Nyström,Þórsson,Dahl'),
  },
  turkish: {
    script: 'latin',
    locale: 'en',
    given: latin('Şükrü,Gülşen,Çağrı,Öznur,İbrahim,Ayşe,Mehmet,Ümit,Zeynep,Barış'),
    family: latin('Yılmaz,Şahin,Öztürk,Çelik,Doğan,Aydın,Güneş,Kılıç,Erdoğan,Türkmen'),
  },
  vietnamese: {
    script: 'latin',
    locale: 'en',
    given: latin('Nguyễn Thị Hương,Trần Văn Đức,Lê Minh,Phạm Thu,Hoàng Anh,Đặng Quốc,Vũ Hải,Bùi Thanh'),
    family: latin('Nguyễn,Trần,Lê,Phạm,Hoàng,Đặng,Vũ,Bùi'),
  },
  english: {
    script: 'latin',
    locale: 'en',
    given: latin(
      'James,Mary,Olivia,William,Grace,Daniel,Priya,Arjun,Chinwe,Kwame,Amara,Siosaia,Hiroshi,Min-jun,Aroha,Rahul,Ngozi,Tendai',
    ),
    family: latin(
      "Smith,O'Brien,Patel,Okafor,Mensah,Kim,Tanaka,Sharma,Singh,Nakamura,Mwangi,Banda,Taufa,Wilson,Adeyemi,Moyo",
    ),
  },
  polish: {
    script: 'latin',
    locale: 'en',
    given: latin('Łukasz,Małgorzata,Paweł,Zofia,Wojciech,Agnieszka,Tomáš,Lucie,Jiří,Ilona'),
    family: latin('Wiśniewski,Wójcik,Kowalczyk,Dvořák,Novák,Černá,Horváth,Szabó,Kovačević,Popescu'),
  },
};

const ARABIC = 'AE,BH,DZ,EG,IQ,JO,KW,LB,LY,MA,MR,OM,PS,QA,SA,SD,SO,SY,TN,YE,DJ,KM';
const CHINESE = 'CN,SG';
const CYRILLIC = 'RU,BY,KZ,KG,TJ,UZ,UA,BG,RS,MK,MN,AZ,AM,MD,ME,GE,TM';
const FRENCH = 'FR,BE,CH,LU,MC,SN,CI,ML,BF,NE,TD,CM,GA,CG,CD,BJ,TG,GN,MG,HT,CF,RW,BI,CA,SC,MU,VU';
const SPANISH = 'ES,MX,AR,CO,CL,PE,VE,EC,BO,PY,UY,CR,PA,GT,HN,SV,NI,CU,DO,GQ';
const PORTUGUESE = 'BR,PT,AO,MZ,CV,GW,ST,TL';
const GERMAN = 'DE,AT,LI';
const NORDIC = 'SE,NO,DK,FI,IS';
const TURKISH = 'TR,CY';
const VIETNAMESE = 'VN';
const POLISH = 'PL,CZ,SK,HU,HR,SI,RO,BA,AL,LT,LV,EE,GR';

const byCountry = new Map<string, string>();
for (const [list, pool] of [
  [ARABIC, 'arabic'],
  [CHINESE, 'chinese'],
  [CYRILLIC, 'cyrillic'],
  [FRENCH, 'french'],
  [SPANISH, 'spanish'],
  [PORTUGUESE, 'portuguese'],
  [GERMAN, 'german'],
  [NORDIC, 'nordic'],
  [TURKISH, 'turkish'],
  [VIETNAMESE, 'vietnamese'],
  [POLISH, 'polish'],
] as const) {
  for (const c of list.split(',')) byCountry.set(c, pool);
}

/** The name pool of a country (English-style Latin names where no other list fits). */
export function poolFor(country: string): NamePool {
  return POOLS[byCountry.get(country) ?? 'english'];
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
