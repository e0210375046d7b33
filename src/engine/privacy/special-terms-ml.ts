/**
 * Special-category terms in 42 languages (version 27, terms): the words a native writer uses for a person's criminal
 * record, religion, trade-union membership, medical procedures and results, immigration status, sexual orientation and
 * gender identity, debts and their enforcement, and pregnancy, disability and mental health.
 *
 * Data only: per category, per language, a list of words separated by "|". In a word:
 *  - "*" stands for any letters (an inflected ending: "odsouzen*" is "odsouzený", "odsouzena"…);
 *  - a trailing "$" asks for no letter after the word in a language whose words otherwise join their neighbours;
 *  - a leading "~" lets the word end a compound (Hungarian "térdműtét", Finnish "rintasyöpä"): no boundary before it.
 * Words of languages written with spaces between words (Latin, Cyrillic, Greek, Armenian, Georgian, Indic scripts) match
 * at word boundaries; words of Arabic, Persian, Urdu, Hebrew, Chinese, Japanese, Korean, Thai and Amharic match inside
 * words (prefixes and particles attach to them). Every word's literal start (up to its first "*") is a gate word: the
 * prefilter's pass shuts a set none of whose gate words is in the text.
 *
 * Words that are everyday words in a language are left out or given in an unambiguous multi-word or inflected form
 * (Czech "odbor" is a department: "odborov*" is the union's; Swedish "fack" is a compartment: "facket" is in the older
 * set; Arabic "مثلي" is "like me"; Korean "암" starts "암호", a password).
 */
import { normalise } from './normalise.js';

type Lists = Record<string, string>;

/** Languages whose words match without word boundaries. */
const JOINED = new Set(['ar', 'fa', 'ur', 'he', 'zh', 'ja', 'ko', 'th', 'am']);

// 1. criminal record, conviction, arrest, prison, probation
const CRIMINAL: Lists = {
  en: 'served time|did time|suspended sentence|custodial sentence|on remand|remanded in custody|at hmp|in hmp|spent conviction*|unspent conviction*|ex-offender*|released from prison|police caution',
  es: 'cumplió condena|cumpliendo condena|centro penitenciario|penitenciaría|libertad condicional|fue detenido|fue detenida|arrestad*|estuvo preso|estuvo presa|antecedentes policiales',
  pt: 'foi preso|foi presa|esteve preso|esteve presa|prisão|na cadeia|presídio|penitenciária|liberdade condicional|ficha criminal|cumpre pena|cumprindo pena',
  fr: 'incarcéré*|en détention|détention provisoire|avec sursis|bracelet électronique|a purgé*|purgé une peine|purge une peine|écroué*|maison d’arrêt|maison d’arret|centre pénitentiaire|garde à vue|mis en examen|mise en examen',
  it: 'arrestat*|detenut*|in galera|ai domiciliari|arresti domiciliari|pena detentiva|reclus*|affidamento in prova',
  de: 'verurteilung*|in haft|u-haft|untersuchungshaft|bewährungsstrafe|auf bewährung|bewährungshelfer*|knast|justizvollzugsanstalt|festgenommen|verhaftet|vorstrafe*',
  nl: 'veroordeling*|gedetineerd*|in de cel|heeft vastgezeten|zat vast|voorwaardelijke straf|enkelband|gearresteerd|tbs-maatregel|tbs opgelegd',
  pl: 'zakładu karnego|zakład karny|zakładzie karnym|odsiedział*|odsiedzeni*|odsiadk*|wyrok za|wyroku za|wyrokiem za|w areszcie|aresztowan*|w zawieszeniu',
  cs: 've vězení|vězeň|trestně stíhán*|trestní stíhání|podmíněný trest|podmínečně propuštěn*|ve vazbě|zatčen*|trestní rejstřík*',
  sk: 'odsúden*|väzen*|vo väzení|väznic*|registra trestov|registri trestov|trestne stíhan*|podmienečne prepusten*|výkon trestu|výkone trestu|zatknut*',
  ro: 'condamnare*|condamnări*|închisoare*|închisoarea|arestat*|detenți*|cu suspendare|penitenciar*|antecedente penale|cazierul*',
  hu: 'börtön*|büntetőeljárás*|őrizetbe vett*|letartóztat*|priusz*|elítélték|felfüggesztett*',
  el: 'φυλακή*|φυλακίστηκε|φυλακισμέν*|φυλάκισ*|αποφυλακίστηκε|συνελήφθη|κρατούμεν*|καταδίκ*',
  tr: 'cezaevi*|hapse*|hapiste|tutuklan*|gözaltına|adli sicil*|ceza aldı*|cezası aldı*|cezasına çarptırıl*',
  ru: 'отсидел*|лишения свободы|лишение свободы|лишением свободы|условн* срок*|уголовн* дел*|к уголовной ответственности|сизо|отбыва* наказани*|отбыл* наказани*|исправительн* колони*|колонии строгого|колонии общего',
  uk: "в'язниц*|вʼязниц*|тюрм*|позбавлення волі|позбавленням волі|ув'язнен*|увʼязнен*|кримінальн* справ*|умовн* термін*|відбува* покаранн*|відбув* покаранн*|сізо",
  sh: 'osuđen*|osudjen*|zatvor|zatvoru|zatvorom|zatvorsk*|kazneni dosje|kaznen* evidencij*|krivičn* dosije|uhapšen*|uhićen*|osuđivan*|осуђен*|осуђиван*|затвору|затворск*|ухапшен*|кривичн* дел*',
  bg: 'осъден*|затвора|затвор|съдимост*|лишаване от свобода|присъда*|присъди',
  sv: 'fängelse*|dömdes|fängslad*|häktad*|häktades|avtjänat*|avtjänar*|villkorlig dom|skyddstillsyn|anhållen|anhölls',
  no: 'fengsel*|fengslet|sonet|sonte|soner en dom|dømt til|varetekt*|prøveløslat*|betinget dom|straffedom*',
  da: 'fængsel*|fængslet|dømt til|afsonet|afsoner*|varetægt*|betinget dom|prøveløsladt|straffet for',
  fi: 'vankila*|vankeus*|vankeuteen|ehdonalai*|pidätettiin|pidätetty|rikostaust*|rikoksesta tuomit*',
  ar: 'سجين|سجنه|سجنها|الحبس|بالحبس|سوابق|سجل جنائي|السجل الجنائي|اعتقل|اعتُقل|معتقل|أدين|أُدين|إدانة|بالإدانة|قضى عقوبة|قضت عقوبة|أفرج عنه|أفرج عنها|أُفرج عنه|أُفرج عنها',
  fa: 'زندان|محکوم شد|محکومیت|سابقه کیفری|سوءپیشینه|سوء پیشینه|سوپیشینه|بازداشت|دستگیر شد',
  he: 'מאסר|עבר פלילי|נעצר|נעצרה|ריצה עונש|אסיר|הורשעה|עבירה פלילית|תיק פלילי|מעצר',
  hi: 'जेल*|सज़ा सुनाई|सजा सुनाई|सज़ा काट*|सजा काट*|कैद*|गिरफ्तार*|गिरफ़्तार*|आपराधिक रिकॉर्ड|दोषी ठहराया|दोषी करार|कारावास*',
  bn: 'জেল*|কারাগার*|কারাদণ্ড*|গ্রেপ্তার*|গ্রেফতার*|সাজা*|দণ্ডিত|অপরাধের রেকর্ড|হাজত*',
  ur: 'جیل|قید کی سزا|قید کاٹ|سزا سنائی|سزا ہوئی|گرفتار|مجرمانہ ریکارڈ|سزا یافتہ|مجرمانہ ریکارڈ',
  ta: 'சிறை*|கைது*|தண்டனை*|குற்றவியல் பதிவு*',
  zh: '监狱|監獄|坐過牢|被捕|被拘留|行政拘留|刑事拘留|有期徒刑|缓刑|緩刑|刑满释放|刑滿釋放|犯罪記錄|案底|假释|假釋|判了|入獄|服過刑',
  ja: '刑務所|執行猶予|有罪判決|禁錮|罰金刑|収監|拘置所|服役|前科者|実刑判決',
  ko: '교도소|구속|집행유예|체포|범죄 경력|범죄경력|유죄 판결|출소|복역|전과자',
  vi: 'ngồi tù|đi tù|án tù|tiền án|tiền sự|bị bắt giam|bị kết án|bị phạt tù|trại giam|nhà tù|án treo|bị tạm giam',
  th: 'ติดคุก|จำคุก|ต้องโทษ|ประวัติอาชญากรรม|ถูกจับกุม|เรือนจำ|รอลงอาญา|ถูกตัดสินว่ามีความผิด',
  id: 'penjara|dipenjara|dipenjarakan|lapas|lembaga pemasyarakatan|mendekam|narapidana|mantan napi|divonis|catatan kriminal|dihukum penjara|ditangkap polisi|rekod jenayah|banduan|hukuman penjara|ditahan polisi',
  tl: 'nakulong|kulungan|bilangguan|nabilanggo|nahatulan|hinatulan|naaresto|inaresto|nakapreso',
  sw: 'gerezani|jela|alifungwa jela|amefungwa jela|kifungo|alihukumiwa|amehukumiwa|rekodi ya uhalifu|alikamatwa|amekamatwa',
  am: 'እስር ቤት|ታስሮ|ታስራ|ተፈርዶበት|ተፈርዶባት|ተፈረደበት|ተፈረደባት|የወንጀል ሪከርድ|ታሰረ|ታሰረች|በእስር',
  ka: 'ციხე*|მსჯავრდებ*|ნასამართლ*|დააპატიმრ*|დაპატიმრებ*|თავისუფლების აღკვეთ*|გაასამართლ*',
  hy: 'դատապարտվ*|դատապարտված*|ազատազրկ*|բանտ*|դատված*|ձերբակալվ*|ձերբակալված*|քրեական անցյալ*',
};

// 2. religion, religious practice and conversion
const RELIGION: Lists = {
  en: 'converted to buddhism|converted to hinduism|wears a hijab|wears the hijab|wears a headscarf|keeps kosher|attends mass|goes to mass|goes to church|born-again christian|born again christian|is an atheist|latter-day saint*|seventh-day adventist*|scientologist*|is a jehovah*',
  es: 'se convirtió al|convertido al islam|convertida al islam|evangélic*|hiyab|es musulmán|es musulmana|es judío|es judía|es ateo|es atea|mormón|mormona|adventista*|va a misa|hace el ramadán|hace ramadán',
  pt: 'se converteu ao|converteu-se ao|evangélic*|é crente|umbanda|candomblé|espírita|muçulman*|mesquita|usa hijab|usa o hijab|vai à missa|adventista*|é ateu|é ateia|faz o ramadão|faz o ramadã',
  fr: 'converti à|convertie à|s’est converti*|est musulman|est musulmane|fait le ramadan|fait ramadan|jeûne du ramadan|porte le voile|porte le foulard|mosquée|est juif|est juive|est athée|évangélique*|va à la messe|chiite|sunnite',
  it: 'convertito all|convertita all|convertito al|convertita al|è musulman*|moschea|è ebreo|è ebrea|va a messa|fa il ramadan|velo islamico|è ateo|è atea|evangelic*',
  de: 'konvertiert*|zum islam|ist muslim|ist muslima|moschee*|trägt kopftuch|trägt ein kopftuch|jüdisch*|freikirch*|evangelikal*|kirchenaustritt*|aus der kirche ausgetreten|konfessionslos*|religionszugehörigkeit|schabbat',
  nl: 'gereformeerd*|bevindelijk*|moslim*|moskee*|hoofddoek*|bekeerd*|joods*|suikerfeest|offerfeest|zondagsrust|doet aan de ramadan|doet mee aan de ramadan',
  pl: 'na islam|na judaizm|na katolicyzm|na prawosławie|nawrócon*|muzułman*|meczet*|ateist*|żydówk*|jest żydem|chodzi do kościoła|zielonoświątkow*|ewangelik*|prawosławn*',
  cs: 'konvertoval*|muslim*|mešit*|židovsk*|je věřící|ateist*|pokřtěn*|chodí do kostela',
  sk: 'moslim*|mešit*|židovsk*|je veriac*|pokrsten*|konvertoval*|chodí do kostola|ateist*',
  ro: 'convertit la|convertită la|musulman*|moschee|pocăit*|neoprotestant*|adventist*|evreu*|evreică|este ateu|este atee|merge la biserică',
  hu: 'áttért*|muszlim*|mecset*|zsidó vallású|katolikus vallású|református vallású|ateista*|vallású|templomba jár',
  el: 'μουσουλμάν*|ασπάστηκε|τζαμί|εβραί*|άθε*|καθολικ*|προτεστάντ*|αλλαξοπίστ*',
  tr: 'müslüman oldu*|din değiştir*|ihtida etti|hristiyan*|hıristiyan*|yahudi*|alevi*|ateist*|türban*|başörtü*|cemevi*',
  ru: 'принял ислам|приняла ислам|принял христианство|приняла христианство|принял православие|приняла православие|крестил*|мусульман*|мечет*|иудей*|атеист*|баптист*|пятидесятник*|сектант*|ходит в церковь|носит хиджаб|хиджаб*|старовер*|воцерковл*',
  uk: "прийняв іслам|прийняла іслам|мусульман*|мечет*|атеїст*|баптист*|охрестив*|греко-католи*|ходить до церкви|хіджаб*|п’ятидесятник*|п'ятидесятник*",
  sh: 'prešao na islam|prešla na islam|prešao na katoli*|prešla na katoli*|musliman*|muslimank*|džamij*|jehovin* svjedo*|jehovin* svedo*|ateist*|ide u crkvu|hidžab*|муслиман*|џамиј*|прешао на ислам|прешла на ислам|јеховин*',
  bg: 'приел исляма|приела исляма|мюсюлман*|джамия*|свидетел* на йехова|ходи на църква|евангелист*',
  sv: 'konverterat till|konverterade till|muslim*|moské*|bär slöja|är jude|judinna|judisk*|ateist*|pingstvän*|frikyrk*|laestadian*|går i kyrkan|katolik*',
  no: 'konvertert til|konverterte til|muslim*|moské*|hijab*|jødisk*|er jøde|ateist*|pinsevenn*|frikirke*|laestadian*|læstadian*|katolikk*|går i kirken',
  da: 'konverteret til|konverterede til|muslim*|moské*|bærer tørklæde|jødisk*|er jøde|ateist*|indre mission*|frikirke*|katolik*|går i kirke',
  fi: 'kääntyi islamiin|kääntyi katolilaisuuteen|muslimi*|moskei*|vanhoillislestadiolai*|lestadiolai*|herätysliik*|helluntailai*|juutalai*|ateisti*|ortodoksi*|käy kirkossa|eronnut kirkosta|kirkosta eronnut|uskovai*|körttiläi*',
  ar: 'مسيحي|مسيحية|يهودي|يهودية|شيعي|شيعية|الحجاب|محجبة|أسلمت|أسلم على|اعتناق|بهائي|بهائية|شهود يهوه',
  fa: 'مسیحی شد|نوکیش|ارتداد|مرتد|یهودی|زرتشتی|تغییر دین|بهائی|بهایی',
  ur: 'مسلک|شیعہ|اثنا عشری|احمدی|قادیانی|عیسائی|اسلام قبول|مذہب تبدیل|دیوبندی|بریلوی|مجالس میں',
  he: 'שומר שבת|שומרת שבת|חרדי|חרדית|יצא בשאלה|יצאה בשאלה|עדי יהוה|מוסלמי|מוסלמית|נוצרי|נוצרייה|התגייר|התגיירה|שומר כשרות|שומרת כשרות|דתייה|דתי$',
  hi: 'धर्म अपना*|धर्म परिवर्तन|धर्मांतरण|ईसाई|मुसलमान|मुस्लिम|बौद्ध|सिख धर्म|जैन धर्म|नास्तिक|इस्लाम कबूल|इस्लाम क़बूल|यहोवा के साक्षी|नमाज़|नमाज',
  bn: 'ধর্মান্তরিত|ইসলাম গ্রহণ|খ্রিস্টান|খ্রিষ্টান|হিন্দু ধর্ম|মুসলিম|মুসলমান|বৌদ্ধ|নাস্তিক|ধর্ম পরিবর্তন|আহমদিয়া|নামাজ',
  ta: 'மதம் மாறி*|கிறிஸ்தவ*|இஸ்லாம்*|முஸ்லிம்*|நாத்திக*|பௌத்த*|யெகோவா*',
  zh: '信教|信佛|信基督|基督徒|穆斯林|皈依|受洗|天主教徒|佛教徒|伊斯兰教|伊斯蘭教|耶和华见证人|耶和華見證人|清真寺|改信|做礼拜|做禮拜',
  ja: '入信|洗礼|キリスト教徒|クリスチャン|イスラム教徒|ムスリム|創価学会|エホバの証人|信者|改宗|仏教徒|カトリック教徒',
  ko: '개종|세례를|기독교인|천주교 신자|불교 신자|무슬림|이슬람교|여호와의 증인|신천지|교회에 다니|독실한',
  vi: 'theo đạo|cải đạo|đạo tin lành|tín đồ|phật tử|hồi giáo|nhân chứng giê-hô-va|rửa tội|chịu phép rửa|đi lễ nhà thờ|đi nhà thờ',
  th: 'เปลี่ยนศาสนา|นับถือศาสนา|มุสลิม|คริสเตียน|ศาสนาอิสลาม|เข้ารีต|พยานพระยะโฮวา|ละหมาด',
  id: 'memeluk islam|memeluk agama|masuk islam|mualaf|muallaf|murtad|pindah agama|berjilbab|berhijab|bertudung|saksi yehuwa|ahmadiyah',
  tl: 'naging muslim|naging kristiyano|lumipat ng relihiyon|iglesia ni cristo|saksi ni jehova|born again',
  sw: 'alisilimu|amesilimu|kusilimu|aliokoka|ameokoka|mkristo|muislamu|mwislamu|mashahidi wa yehova|msikitini',
  am: 'ሙስሊም|ክርስቲያን|ሃይማኖቱን|ሃይማኖቷን|ፕሮቴስታንት|ጴንጤ|የይሖዋ ምሥክር|ሰለመ',
  ka: 'სარწმუნოება*|მუსლიმ*|მაჰმადიან*|კათოლიკ*|იეჰოვა*|ათეისტ*|მოინათლა|ეკლესიაში დადის|ბაპტისტ*',
  hy: 'մկրտվ*|մուսուլման*|կաթոլիկ*|եհովայի վկա*|աթեիստ*|բողոքական*|կրոնափոխ*|դավանանք*|ավետարանական*',
};

// 3. trade-union membership and activity
const UNION: Lists = {
  en: 'joined the union|joining the union|union activist*|union organi*|union branch|picket line|strike committee|union card',
  es: 'comité de empresa|enlace sindical|sección sindical|liberado sindical|liberada sindical|afiliación sindical|comité de huelga|piquete*',
  pt: 'é filiado|é filiada|sindicalizad*|dirigente sindical|comissão de fábrica|líder sindical',
  fr: 'élu du cse|élue du cse|élu cse|élue cse|représentant du personnel|représentante du personnel|délégué du personnel|déléguée du personnel|militant syndical|militante syndicale',
  it: 'delegata rsu|delegato rsu|delegata rsa|delegato rsa|tessera del sindacato|sindacalist*|iscritt* alla cgil|iscritt* alla fiom',
  de: 'betriebsratsmitglied*|im betriebsrat|betriebsratsvorsitzend*|verdi-mitglied*|streikposten|gewerkschaftlich*',
  nl: 'kaderlid|vakbondsman|vakbondsvrouw|lid van de vakbond',
  pl: 'związkow*|związkowc*|działacz* związkow*',
  cs: 'odborov*|odborář*|odborářk*|předseda odborů|člen odborů|členka odborů|v odborech',
  sk: 'odborov*|odborár*|odborárk*|oz kovo|základnej organizácie|predseda odborov|člen odborov',
  ro: 'sindicatul*|sindicalist*|lider sindical|membru de sindicat|membră de sindicat|membru al sindicatului|membră a sindicatului',
  hu: 'szakszervezeti bizalmi|szakszervezeti tag*',
  el: 'συνδικάτο*|συνδικαλισμ*|μέλος του συνδικάτου',
  tr: 'sendikaya üye|sendikalı|sendika temsilci*|işyeri temsilcisi|sendikaya',
  ru: 'профорг*',
  uk: 'профорг*',
  sh: 'sindikat*|sindikaln*|синдикат*|синдикалн*',
  bg: 'синдикат*|синдикалн*|кнсб',
  sv: 'fackförbund*|fackföreningsmedlem*|huvudskyddsombud|skyddsombud|fackklubb*|klubbordförande',
  no: 'plasstillitsvalgt*|hovedtillitsvalgt*|fagorganisert*|organisert i|lo-medlem|verneombud',
  da: 'fællestillidsrepræsentant*|fagligt aktiv|medlem af 3f|fagligt organiseret',
  fi: 'ammattiliito*|luottamushenkilö*|pääluottamusmie*|liiton jäsen|työsuojeluvaltuutettu',
  ar: 'نقابة|النقابة|نقابي|نقابية|العمل النقابي|ممثل العمال',
  fa: 'سندیکا|اتحادیه کارگری|فعال صنفی|فعال کارگری|تشکل کارگری',
  ur: 'مزدور یونین|ٹریڈ یونین|یونین کا رکن|یونین کے رکن|یونین کے عہدیدار|یونین لیڈر',
  he: 'ועד העובדים|ההסתדרות|חבר ועד|חברת ועד|יו"ר הוועד|איגוד מקצועי|התאגדות',
  hi: 'ट्रेड यूनियन|मज़दूर संघ|मजदूर संघ|श्रमिक संघ|कर्मचारी संघ|यूनियन नेता|यूनियन का सदस्य|यूनियन के सदस्य',
  bn: 'শ্রমিক ইউনিয়ন|ট্রেড ইউনিয়ন|শ্রমিক সংগঠন|ইউনিয়নের সদস্য|ইউনিয়নের নেতা',
  ta: 'தொழிற்சங்க*|சங்க உறுப்பினர்*',
  zh: '加入工会|工会会员|工会主席|工会代表|工會會員|加入工會|组织工会|組織工會|工会委员|工會代表',
  ja: '労働組合|組合員|組合活動|労組|執行委員',
  ko: '노조|노동조합|조합원|교섭위원|민주노총|한국노총',
  vi: 'công đoàn',
  th: 'สหภาพแรงงาน|สมาชิกสหภาพ|ผู้นำสหภาพ',
  id: 'serikat pekerja|serikat buruh|kesatuan sekerja|anggota serikat|pengurus serikat|aktivis buruh|ahli kesatuan',
  tl: 'unyon',
  sw: 'tuico|cotwu|tughe|rawu|chama cha wafanyakazi|mwakilishi wa wafanyakazi|mwakilishi wa tawi',
  am: 'የሠራተኛ ማኅበር|የሰራተኛ ማህበር|የሠራተኞች ማኅበር|የሰራተኞች ማህበር',
  ka: 'პროფკავშირ*',
  hy: 'արհմիություն*',
};

// 4. medical procedure, test result, diagnosis (reported as medical)
const MEDICAL: Lists = {
  en: 'colonoscopy|endoscopy|mri scan|ct scan|pet scan|had a stent|got a stent|stent fitted|stent put in|angiography|angioplasty|pacemaker|tumour|tumor|malignant|radiation therapy|diagnosed with|tested positive for|lymphoma|leukemia|leukaemia|heart attack|had a stroke|suffered a stroke|colostomy|tonsillectomy|appendectomy|c-section|caesarean|cesarean',
  es: 'colonoscopia|endoscopia|resonancia magnética|operado de|operada de|lo operaron|la operaron|intervención quirúrgica|intervenido|intervenida|cirugía|quimio|radioterapia|tumor*|maligno|maligna|diagnosticad*|trasplante|cateterismo|marcapasos|mamografía|prueba del vih',
  pt: 'colonoscopia|endoscopia|ressonância magnética|tomografia|cirurgia|foi operado|foi operada|quimio|radioterapia|tumor*|maligno|maligna|hemodiálise|diagnosticad*|transplante|cateterismo|marca-passo|pólipo*|mamografia|teste de hiv|exame de hiv',
  fr: 'coloscopie|endoscopie|une irm|passé une irm|chirurgie|intervention chirurgicale|radiothérapie|tumeur*|maligne|diagnostiqué*|greffe de|pontage|hospitalisé*|dépistage du vih',
  it: "colonscopia|endoscopia|risonanza magnetica|è stato operato|è stata operata|intervento chirurgico|chirurgic*|radioterapia|tumore|tumori|maligno|maligna|dialisi|diagnosticat*|trapianto|ricoverat*|mammografia|test dell'hiv",
  de: 'darmspiegelung|koloskopie|magenspiegelung|mrt|kernspin*|strahlentherapie|bestrahlung*|tumor*|bösartig*|transplantation|herzkatheter*|diagnostiziert|stationär aufgenommen|hiv-test|stent gesetzt|~sklerose',
  nl: 'darmonderzoek|colonoscopie|coloscopie|mri-scan|ct-scan|geopereerd|chemokuur|bestraling*|kwaadaardig*|gediagnosticeerd|transplantatie|hiv-test|biopt|borstkanker|darmkanker|longkanker|huidkanker|prostaatkanker|opgenomen in het ziekenhuis',
  pl: 'kolonoskopi*|gastroskopi*|rezonans* magnetyczn*|tomografi*|przeszedł operacj*|przeszła operacj*|radioterapi*|guza|guzem|przeszczep*|zdiagnozowan*|hospitalizowan*|koronarografi*',
  cs: 'koronarografi*|kolonoskopi*|gastroskopi*|magnetick* rezonanc*|nádor*|ozařován*|transplantac*|hospitalizován*|hospitalizovan*|diagnostikován*|pracovní neschopnost*|neschopenk*',
  sk: 'operáci*|kolonoskopi*|nádor*|rakovin*|diagnostikovan*|práceneschopn*|hospitalizovan*|koronarografi*',
  ro: 'colonoscopie|endoscopie|rmn|a fost operat*|intervenție chirurgicală|intervenţie chirurgicală|chimioterapie|radioterapie|tumoare|tumori|diagnosticat*|transplant*|spitalizat*|concediu medical',
  hu: '~műtét*|megműtött*|műtötték|operáció*|kemoterápi*|sugárkezelés*|~daganat*|rákos*|vastagbéltükrözés*|mri|mr-vizsgálat*|dialízis*|táppénz*|kórházba került|diagnosztizált*|transzplantáci*',
  el: 'μαγνητική τομογραφία|αξονική τομογραφία|κολονοσκόπησ*|ενδοσκόπησ*|νοσηλεύ*|διαγνώστηκε|ακτινοθεραπ*|αιμοκάθαρσ*|μεταμόσχευσ*',
  tr: 'kolonoskopi|endoskopi|emar|tomografi*|kemoterapi*|radyoterapi*|tümör*|diyaliz*|biyopsi*|böbrek nakli|karaciğer nakli|organ nakli|teşhis kondu|tanısı kondu|tanısı aldı|hastaneye kaldırıldı|hiv testi|hiv pozitif',
  ru: 'рак|рака|раком|раке|опухол*|химиотерап*|лучев* терапи*|радиойод*|удален* щитовидн*|прооперирован*|оперировали|гистологи*|колоноскопи*|гастроскопи*|мрт|гемодиализ*|диализ*|трансплантаци*|госпитализирован*|диагноз*|вич|стент*|шунтирован*',
  uk: 'рак|раку|раком|пухлин*|хіміотерап*|променев* терапі*|прооперован*|гістологі*|колоноскопі*|мрт|гемодіаліз*|діаліз*|трансплантаці*|госпіталізован*|діагноз*|віл|стент*',
  sh: 'operisan*|operiran*|kolonoskopij*|magnetn* rezonanc*|hemoterapij*|kemoterapij*|zračenj*|tumor|tumora|dijaliz*|transplantacij*|hospitalizovan*|hospitaliziran*|dijagnosticiran*|dijagnostikovan*|bolovanj*|оперисан*|хемотерапиј*|дијализ*|болован*|тумор*',
  bg: 'операция на|опериран*|химиотерапия|лъчетерапия|тумор*|диализа|трансплантация|хоспитализиран*|диагностициран*|болничен лист|болничния лист',
  sv: 'opererades|opererad*|koloskopi|magnetröntgen|datortomografi|cellgift*|strålbehandling*|tumör*|dialys*|transplantation|diagnostiserad*|hiv-test*',
  no: 'ble operert|operert for|koloskopi|mr-undersøkelse|cellegift*|strålebehandling*|svulst*|~kreft*|dialyse|transplantasjon|diagnostisert*',
  da: 'opereret|koloskopi|mr-scanning|kemoterapi|kemobehandling*|strålebehandling*|~kræft*|svulst*|dialyse|transplantation|diagnosticeret|indlagt på',
  fi: 'leikkaukseen|leikkauksessa|leikattiin|kolonoskopi*|tähystyks*|magneettikuva*|~syöpä*|~syövän|solunsalpaaj*|sädehoito*|kasvain*|dialyysi*|elinsiirt*|diagnosoitiin|sairaalaan',
  ar: 'خزعة|منظار|رنين مغناطيسي|أشعة مقطعية|ورم|أجرى عملية|أجرت عملية|خضع لعملية|خضعت لعملية|العلاج الإشعاعي|زراعة كلى|زراعة كلية|زراعة الكبد|تم تشخيص|شُخّص|شخصت إصابته|تحليل الإيدز',
  fa: 'سرطان|جراحی|عمل جراحی|تومور|دیالیز|پرتودرمانی|ام آر آی|آنژیوگرافی|پیوند کلیه|بستری شد|اچ آی وی|کولونوسکوپی',
  ur: 'آپریشن|سرجری|کیموتھراپی|کینسر|ڈائیلاسز|بائیوپسی|رسولی|ایچ آئی وی|ہسپتال میں داخل|ایم آر آئی',
  he: 'ביופסיה|קולונוסקופיה|הקרנות|אושפז|אושפזה|השתלת|צנתור|נותח|נותחה|אובחן|אובחנה',
  hi: 'सर्जरी|कीमोथेरेपी|कीमो|बायोप्सी|एमआरआई|सीटी स्कैन|ट्यूमर|एचआईवी|किडनी ट्रांसप्लांट|एंजियोप्लास्टी|स्टेंट|अस्पताल में भर्ती|ऑपरेशन हुआ|ऑपरेशन कराया',
  bn: 'ডায়ালাইসিস|অস্ত্রোপচার|অপারেশন|কেমোথেরাপি|বায়োপসি|টিউমার|এমআরআই|এইচআইভি|হাসপাতালে ভর্তি|কিডনি প্রতিস্থাপন|সার্জারি|ক্যান্সার',
  ta: 'அறுவை சிகிச்சை*|புற்றுநோய்*|கீமோதெரபி*|டயாலிசிஸ்*|பயாப்ஸி*|எச்ஐவி*|மருத்துவமனையில் அனுமதி*',
  zh: '活检|活檢|肠镜|腸鏡|胃镜|胃鏡|核磁共振|磁共振|肿瘤|腫瘤|放疗|放療|化療|住院|确诊|確診|艾滋病|肾移植|肝移植|骨髓移植|支架|搭桥|患癌|癌细胞|癌細胞|乳腺癌|结肠癌|結腸癌|肺癌|胃癌|肝癌',
  ja: '生検|がん|大腸内視鏡|内視鏡|腫瘍|放射線治療|透析|入院|診断され|移植|ステント|HIV陽性|人工透析|抗がん',
  ko: '조직검사|대장내시경|내시경|종양|방사선 치료|입원|진단받|이식 수술|스텐트|유방암|위암|폐암|대장암|갑상선암|간암|암 판정',
  vi: 'phẫu thuật|bị mổ|ca mổ|đi mổ|hóa trị|hoá trị|xạ trị|chạy thận|sinh thiết|nội soi|chụp cộng hưởng từ|khối u|nhập viện|chẩn đoán|ghép thận|xét nghiệm hiv',
  th: 'ผ่าตัด|เคมีบำบัด|ฉายรังสี|ฟอกไต|ตัดชิ้นเนื้อ|ตรวจชิ้นเนื้อ|ส่องกล้อง|เนื้องอก|เอชไอวี|นอนโรงพยาบาล|แอดมิท',
  id: 'dioperasi|menjalani operasi|pembedahan|kemoterapi|radioterapi|cuci darah|hemodialisis|kolonoskopi|dirawat inap|dirawat di rumah sakit|didiagnosis|didiagnosa|transplantasi|dimasukkan ke hospital|pemindahan buah pinggang',
  tl: 'naoperahan|ooperahan|inoperahan|operasyon|na-confine|naospital|na-ospital|na-diagnose|nadiagnose',
  sw: 'upasuaji|alifanyiwa upasuaji|tibakemikali|kusafisha damu|alilazwa|amelazwa|uvimbe|vvu|kipimo cha vvu',
  am: 'ቀዶ ጥገና|ኬሞቴራፒ|ዲያሊሲስ|ሆስፒታል ገብቶ|ሆስፒታል ገብታ',
  ka: 'ოპერაცი*|ქიმიოთერაპი*|ბიოფსი*|სიმსივნ*|კიბო*|დიალიზ*|ჰოსპიტალიზ*|დიაგნოზ*',
  hy: 'վիրահատ*|քիմիաթերապի*|բիոպսի*|ուռուցք*|քաղցկեղ*|դիալիզ*|ախտորոշ*',
};

// 5. immigration status
const IMMIGRATION: Lists = {
  en: 'refugee status|asylum claim|asylum application|claimed asylum|applied for asylum|granted asylum|refused asylum|leave to remain|indefinite leave|no recourse to public funds|visa overstay|overstayed|illegal immigrant|temporary protected status|temporary protection|removal order|facing deportation|deportation|immigration detention|pre-settled status|daca recipient',
  es: 'sin papeles|indocumentad*|situación irregular|permiso de residencia|tarjeta de residencia|orden de expulsión|deportad*|deportación|refugiad*|asilo político|protección internacional|protección temporal',
  pt: 'sem documentos|indocumentad*|situação irregular|autorização de residência|título de residência|deportad*|deportação|refugiad*|pedido de asilo|asilo político|requerente de asilo|proteção temporária|protecção temporária|visto vencido|visto expirado',
  fr: 'oqtf|récépissé|reconduite à la frontière|en situation irrégulière|débouté*|sous protection temporaire|sous protection subsidiaire|bénéficiaire de la protection|centre de rétention|titre de séjour|carte de séjour',
  it: 'protezione temporanea|permesso di soggiorno|clandestin*|senza permesso|senza documenti|decreto di espulsione|espuls*|rimpatri*|rifugiat*',
  de: 'aufenthaltstitel|aufenthaltserlaubnis|aufenthaltsgenehmigung|abgeschoben|abschiebung*|ausreisepflichtig*|illegal eingereist|ohne papiere|ausbildungsduldung|bleiberecht|flüchtling*|geflüchtet*|schutzstatus|fiktionsbescheinigung',
  nl: 'verblijfsvergunning*|uitgezet|uitzetting|uitgeprocedeerd*|vluchteling*|tijdelijke bescherming|verblijfsstatus|zonder verblijfs*|vreemdelingenbewaring',
  pl: 'karta pobytu|karty pobytu|zezwoleni* na pobyt|pobyt tolerowany|deportowan*|deportacj*|nielegaln* pobyt*|uchodźc*|wydalen*|zobowiązani* do powrotu',
  cs: 'žadatel* o azyl|azylant*|uprchlík*|uprchlic*|povolení k pobytu|pobytov* povolení|vyhoštěn*|deportován*|dočasn* ochran*|nelegáln* pobyt*',
  sk: 'azyl*|utečen*|povolenie na pobyt|povolenia na pobyt|vyhosten*|deportovan*|dočasn* ochran*|nelegáln* pobyt*|žiadateľ* o azyl',
  ro: 'cerere de azil|solicitant* de azil|refugiat*|permis de ședere|permis de şedere|drept de ședere|expulzat*|deportat*|protecție temporară|protecţie temporară|fără acte|ședere ilegal*',
  hu: 'menedékkérő*|menekült*|tartózkodási engedély*|kiutasít*|kitoloncol*|ideiglenes védelem*|illegális bevándorló*|papírok nélkül',
  el: 'άδεια διαμονής|απέλασ*|απελάθηκε|χωρίς χαρτιά|παράτυπ*|προσωρινή προστασία',
  tr: 'oturma izni|ikamet izni|sınır dışı|deport edil*|kaçak göçmen|kaçak olarak|vize ihlali|vizesi doldu|iltica*|sığınma başvuru*|kimliksiz',
  ru: 'вид на жительство|внж|рвп|депортирова*|депортаци*|выдворен*|нелегал*|без документов|просроченн* виз*|временн* защит*',
  uk: 'посвідк* на проживання|депортова*|депортаці*|видворен*|нелегальн*|без документів|легального статусу',
  sh: 'tražitelj* azila|tražilac azila|tražioc* azila|izbjeglic*|izbeglic*|dozvol* boravk*|boravišn* dozvol*|deportovan*|deportiran*|protjeran*|proteran*|privremen* zaštit*|избеглиц*|азил*|депортован*|протеран*|дозвол* боравк*',
  bg: 'бежан*|убежище|разрешение за пребиваване|депортиран*|експулсиран*|временна закрила|без документи',
  sv: 'utvisning*|utvisad*|utvisningsbeslut|avvisning*|avvisad*|asylsökand*|asyl*|uppehållstillstånd*|arbetstillstånd*|papperslös*|flykting*|tillfälligt skydd',
  no: 'utvist|utvisning*|utvisningsvedtak|asylsøk*|oppholdstillatelse*|arbeidstillatelse*|papirløs*|flyktning*|midlertidig beskyttelse|kollektiv beskyttelse',
  da: 'udvist|udvisning*|asylansøg*|opholdstilladelse*|arbejdstilladelse*|papirløs*|flygtning*|midlertidig beskyttelse|udrejsecenter|tålt ophold',
  fi: 'turvapaikanhakija*|turvapaikka*|turvapaikan*|oleskelulupa*|oleskeluluva*|karkotet*|karkotus*|käännytys*|käännytet*|paperiton*|paperittom*|pakolai*|tilapäi* suojelu*',
  ar: 'لجوئه|لجوئها|اللجوء|ترحيل|الترحيل|انتهت إقامته|انتهت إقامتها|بدون إقامة|مخالف لنظام الإقامة|مقيم غير شرعي|غير شرعية|مهاجر غير شرعي|بلا أوراق|لاجئة|الحماية المؤقتة|تصريح الإقامة|ترحيله|ترحيلها',
  fa: 'اخراج شد|دیپورت|اقامت غیرقانونی|غیرمجاز|مهاجر غیرقانونی|ویزای منقضی|رد پناهندگی',
  ur: 'پناہ گزین|پناہ کی درخواست|سیاسی پناہ|غیر قانونی تارک وطن|ڈی پورٹ|ملک بدر|ویزا ختم|بغیر کاغذات',
  he: 'מבקש מקלט|מבקשת מקלט|מבקשי מקלט|פליט$|פליטה$|שוהה בלתי חוקי|שוהה בלתי חוקית|גירוש|גורש|גורשה|ויזה פגה|אשרה פגה|הגנה זמנית|מסתנן|מסתננת',
  hi: 'शरणार्थी|अवैध प्रवासी|वीज़ा खत्म|वीजा खत्म|निर्वासित|निर्वासन|डिपोर्ट|बिना दस्तावेज़|घुसपैठिया',
  bn: 'শরণার্থী|আশ্রয়প্রার্থী|অবৈধ অভিবাসী|ভিসার মেয়াদ|নির্বাসিত|ডিপোর্ট',
  ta: 'அகதி*|புகலிட*|நாடு கடத்த*|குடியுரிமை இல்ல*|விசா காலாவதி*|சட்டவிரோத குடியேறி*',
  zh: '难民|難民|庇护|庇護|非法移民|非法滞留|非法居留|签证过期|簽證過期|被遣返|遣返|驱逐出境|驅逐出境|居留许可|居留證|黑工|逾期居留',
  ja: '難民申請|難民認定|不法滞在|オーバーステイ|在留資格|仮放免|強制送還|退去強制|入管収容|在留期限',
  ko: '난민|불법체류|미등록 이주|강제퇴거|추방|체류자격|체류 기간 만료|비자 만료|망명|인도적 체류',
  vi: 'tị nạn|cư trú bất hợp pháp|quá hạn visa|quá hạn thị thực|bị trục xuất|trục xuất|không giấy tờ|lao động bất hợp pháp|thẻ cư trú',
  th: 'ผู้ลี้ภัย|ลี้ภัย|แรงงานเถื่อน|หลบหนีเข้าเมือง|อยู่เกินกำหนด|วีซ่าหมดอายุ|ถูกเนรเทศ|เนรเทศ|ไม่มีเอกสาร',
  id: 'dikira pati|permit kerja tamat|plks|izin tinggal|kitas|kitap|overstay|dideportasi|deportasi|pengungsi|pencari suaka|suaka|imigran gelap|pendatang haram|tanpa dokumen|kad pelarian|kad unhcr|dihantar pulang',
  tl: 'overstaying|walang papeles|na-deport|dineport|walang visa',
  sw: 'mkimbizi|wakimbizi|hifadhi ya ukimbizi|ukimbizi|hana kibali|kibali cha kuishi|kibali cha ukaazi|alifukuzwa nchini|kufukuzwa nchini|wahamiaji haramu|mhamiaji haramu|bila vibali|bila kibali',
  am: 'ስደተኛ|ጥገኝነት|የመኖሪያ ፈቃድ|ህገወጥ ስደተኛ',
  ka: 'თავშესაფარ*|დეპორტაცი*|დეპორტირებ*|ლტოლვილ*|ბინადრობის ნებართვ*|არალეგალურ*|ვიზის ვადა',
  hy: 'ապաստան*|փախստական*|արտաքսվ*|արտաքսում*|կացության թույլտվություն*|անօրինական միգրանտ*',
};

// 6. sexual orientation and gender identity
const ORIENTATION: Lists = {
  en: 'transitioning|transitioned|non-binary|nonbinary|genderqueer|gender dysphoria|deadname*|still in the closet|closeted|was outed',
  es: 'mujer trans|hombre trans|persona trans|transgénero|transexual|no binari*|salió del armario|salir del armario|en el armario|cambio de sexo',
  pt: 'mulher trans|homem trans|pessoa trans|transgênero|transexual|travesti|não binári*|nome social|saiu do armário|homossexua*|bissexua*',
  fr: 'transgenre|femme trans|homme trans|personne trans|non binaire|non-binaire|son coming out|son coming-out|changement de sexe',
  it: 'bisessuale|donna trans|uomo trans|persona trans|non binari*|fatto coming out|transizione di genere',
  de: 'bisexuell*|transfrau|transmann|trans frau|trans mann|nichtbinär*|nicht-binär*|geoutet|geschlechtsangleich*',
  nl: 'biseksueel|biseksuele|transvrouw|transman|non-binair|uit de kast|geslachtsverander*',
  pl: 'transpłciow*|osoba trans|kobieta trans|mężczyzna trans|niebinarn*|wyoutowan*|tranzycj*|korekt* płci',
  cs: 'bisexuál*|trans žena|trans muž|nebinární|tranzic*|změn* pohlaví',
  sk: 'transrodov*|nebinárn*|zmen* pohlavia',
  ro: 'lesbiană|transgen*|femeie trans|bărbat trans|non-binar*',
  hu: 'biszexuális|transznemű|transz nő|transz férfi|nem bináris|homoszexuális|előbújt',
  el: 'τρανς|τρανσέξουαλ|διεμφυλ*|αμφισεξουαλ*',
  tr: 'biseksüel|trans kadın|trans erkek|transseksüel|lezbiyen|cinsiyet değiştir*|cinsiyet geçiş*',
  ru: 'бисексуал*|трансгендер*|трансженщин*|трансмужчин*|небинарн*|каминг-аут|смены пола|смена пола|сменил пол|сменила пол|нетрадиционн* ориентаци*',
  uk: 'бісексуал*|трансгендер*|трансжінк*|трансчоловік*|небінарн*|камінг-аут|зміна статі|зміну статі',
  sh: 'biseksual*|transrodn*|trans žena|трансродн*|лезбејк*|геј',
  bg: 'лесбийк*|транссексуал*|трансджендър*|хомосексуал*|смяна на пола',
  sv: 'lesbisk*|bisexuell*|transperson*|transkvinna|ickebinär*|icke-binär*|kom ut som|könsbyte*|könsbekräftande|bög',
  no: 'homofil*|bifil*|homoseksuell*|transkvinne|transmann|ikke-binær*|kjønnsskifte*|kjønnsbekreftende|er lesbisk',
  da: 'homoseksuel*|biseksuel*|bøsse|transmand|transkvinde|sprang ud som|kønsskifte*',
  fi: 'homoseksuaali*|biseksuaali*|transsukupuoli*|transnainen|transmies|muunsukupuoli*|tuli kaapista|sukupuolenkorjau*',
  ar: 'المثليين|مثليي الجنس|ثنائي الجنس|متحول جنسيا|متحولة جنسيا|متحول جنسياً|متحولة جنسياً|عابر جنسيا|عابرة جنسيا|تغيير الجنس',
  fa: 'همجنس‌گرا|همجنس گرا|دوجنس‌گرا|دوجنسگرا|تراجنسیتی|ترنسجندر|تغییر جنسیت|لزبین',
  ur: 'ہم جنس پرست|ٹرانس جینڈر|خواجہ سرا',
  he: "הומו$|טרנסג׳נדר|טרנסג'נדר|טרנסית|יצא מהארון|יצאה מהארון|שינוי מין|ביסקסואל|נטייה מינית",
  hi: 'ट्रांसजेंडर|उभयलिंगी|बाइसेक्शुअल|लेस्बियन',
  bn: 'সমকামী|সমকামি|লেসবিয়ান|রূপান্তরকামী|ট্রান্সজেন্ডার|উভকামী',
  ta: 'ஓரினச்சேர்க்கை*|திருநங்கை*|திருநம்பி*|தன்பாலின*',
  zh: '出柜|出櫃|跨性别|跨性別|变性|變性|双性恋|雙性戀|男朋友在一起|性少数',
  ja: '性同一性障害|性別違和|トランスジェンダー|カミングアウト|ゲイ|バイセクシュアル|性転換|性別適合手術|ノンバイナリー|同性パートナー',
  ko: '게이|트랜스젠더|커밍아웃|양성애자|성전환|성소수자|논바이너리|동성 연인|동성 파트너',
  vi: 'song tính|chuyển giới|xu hướng tính dục',
  th: 'เกย์|กะเทย|สาวประเภทสอง|คนข้ามเพศ|ข้ามเพศ|ไบเซ็กชวล|รักร่วมเพศ',
  id: 'biseksual|transpuan|waria|mak nyah|pengkid|sesama jenis',
  tl: 'bakla|tomboy|tibo|lesbiyana',
  sw: 'msagaji|wasagaji|mashoga|mapenzi ya jinsia moja|aliyebadili jinsia',
  am: 'ግብረ ሰዶማዊ|ግብረሰዶማዊ|ሌዝቢያን|ትራንስጀንደር',
  ka: 'გეი|ბისექსუალ*|ტრანსგენდერ*|ტრანს ქალ*',
  hy: 'լեսբուհի*|լեսբի*|գեյ|համասեռամոլ*|միասեռական*|բիսեքսուալ*|տրանսգենդեր*|տրանս կին',
};

// 7. debt, insolvency, eviction, garnishment, collections, bailiffs (reported as financial)
const DEBT: Lists = {
  en: 'rent arrears|mortgage arrears|defaulted on|notice of default|repossess*|eviction notice|eviction order|facing eviction|was evicted|were evicted|got evicted|being evicted|been evicted|was declared bankrupt|debt relief order|attachment of earnings|wages garnished|garnishee*|debt management plan|payday loan*|sent to collections|in collections|unpaid debt*|wages are being attached',
  es: 'moroso|morosa|deudas|deuda de|fichero de morosos|asnef|desalojo|embargad*|concurso de acreedores|ley de segunda oportunidad|recobro|en quiebra',
  pt: 'inadimplente*|caloteir*|nome sujo|negativad*|serasa|insolvência|execução fiscal|penhorad*|em incumprimento|crédito malparado',
  fr: 'dettes|endetté*|fiché à la banque de france|fichée à la banque de france|ficp|rétablissement personnel|recouvrement|mise en demeure|avis à tiers détenteur',
  it: 'debiti|indebitat*|cattivo pagatore|segnalat* in crif|segnalat* al crif|protestat*|ufficiale giudiziario|recupero crediti|sovraindebitament*|insolvente',
  de: 'schulden|verschuldet|überschuldet|inkasso*|mahnbescheid*|vollstreckungsbescheid*|lohnpfändung*|kontopfändung*|p-konto|räumungsklage|zwangsräumung|mietrückstand*|mietschulden|insolvenzverfahren|eidesstattliche versicherung|schuldnerberatung',
  nl: 'schuldsanering|wsnp|incassobureau*|loonbeslag|beslag op|huisuitzetting|betalingsachterstand*|bkr-registratie|schuldhulpverlening|beschermingsbewind|schuldeiser*',
  pl: 'zadłużon*|długi|długów|długu|upadłość konsumenck*|upadłości konsumenck*|eksmisj*|zaległości|zaległoś* w czynsz*|nakaz zapłaty|zajęci* komornicz*|zajęcie wynagrodzenia|zajęcie pensji',
  cs: 'insolvenc*|dluhy|dluhů|dluh|dluhu|vystěhován*|srážk* ze mzdy|zadlužen*|dlužník*|dlužnic*|registr dlužníků',
  sk: 'dlhy|dlhov|dlhu|dlžník*|dlžníčk*|osobný bankrot|oddlžen*|zadlžen*|vysťahovan*|zrážk* zo mzdy|exekútor*',
  ro: 'restanț*|restanţ*|datorii*|recuperare creanțe|recuperare creanţe|firma de recuperare|firmă de recuperare|firme de recuperare|insolvență*|insolvenţă*|faliment personal|executare silită|rate neplătite|credit neplătit|datornic*|rău platnic|rău-platnic',
  hu: 'végrehajtás*|végrehajtási|tartozás*|adósság*|kilakoltat*|magáncsőd*|személyes csőd|követeléskezel*|hátralék*|fizetési felszólítás',
  el: 'χρέη|χρέος|χρεωμέν*|ληξιπρόθεσμ* οφειλ*|κατάσχεσ*|πλειστηριασμ*|έξωσ*|υπερχρεωμέν*|εισπρακτικ* εταιρ*|δικαστικός επιμελητής',
  tr: 'borcu var|borcunu ödeyemedi|borç batağı|icralık|icraya verildi|tahliye davası|kira borcu|maaş haczi|iflas*|takibe düştü|gecikmiş borç',
  ru: 'долг|долга|долги|долгов|долгам|долгами|задолженност*|просрочк*|просроченн* кредит*|банкротств*|выселен*|приставы|приставов|исполнительн* производств*|удержани* из зарплат*|должник*',
  uk: 'борги|боргів|боргу|борг|заборгованіст*|прострочен*|колектор*|банкрутств*|виселен*|виконавч* провадженн*|приватн* виконав*|стягнен*|боржник*',
  sh: 'ovrs*|blokiran* račun*|duga|dugove|dugova|dugovanj*|dužnik*|ovršn*|deložacij*|prinudn* naplat*|stečaj potrošača|osobni stečaj|lični stečaj|zapljen*|zaplenjen*|дуга|дугов*|принудн* наплат*|извршитељ*|блокиран* рачун*',
  bg: 'дългове|дълг|дълга|просрочени задължения|съдебен изпълнител|частен съдебен изпълнител|запор на|несъстоятелност|изселван*',
  sv: 'skulder|skuldsatt*|kronofogde*|betalningsanmärkning*|skuldsanering*|vräkning*|vräkt|utmätning*|löneutmätning*|inkasso*|hyresskuld*',
  no: 'gjeld|gjeldsordning|namsmann*|inkasso*|betalingsanmerkning*|lønnstrekk|utkastelse*|tvangssalg|husleierestanse*|gjeldsproblem*',
  da: 'gæld|gældsat|forgældet|gældssanering*|fogeden|fogedret*|inkasso*|lønindeholdelse|registreret i rki|huslejerestance*|tvangsauktion*',
  fi: 'perintä*|ulosotto*|ulosotos*|ulosottoon|ulosottomie*|häätö*|velka*|velkaa|velkoja*|maksuhäiriö*|luottotiedot|velkajärjestely*|vuokrarästi*|ulosmit*|henkilökohtai* konkurssi*',
  ar: 'ديون|مديون|مديونة|متعثر في السداد|متأخرات|حجز على راتب|الحجز على|إخلاء|تحصيل الديون|قرض متعثر|أقساط متأخرة|إفلاس',
  fa: 'بدهی|بدهکار|چک برگشتی|اقساط معوق|معوقات|توقیف حقوق|ورشکست|حکم تخلیه|اجرائیات',
  ur: 'واجب الادا|قرضہ|ریکوری|نادہندہ|دیوالیہ|بے دخل|قرقی|تنخواہ سے کٹوتی',
  he: 'חובות|בחובות|פיגור בתשלומים|צו פינוי|פשיטת רגל|חדלות פירעון|חייב כסף|חייבת כסף|כונס נכסים|גביית חובות',
  hi: 'बकाया|कर्ज़|कर्ज|क़र्ज़|कर्ज़दार|कर्जदार|रिकवरी एजेंट|वसूली|डिफॉल्ट|दिवालिया|बेदखल*|कुर्की|सरफेसी|sarfaesi',
  bn: 'ঋণখেলাপি|ঋণের কিস্তি|বকেয়া|দেনা|দেউলিয়া|উচ্ছেদ|রিকভারি এজেন্ট|ক্রোক',
  ta: 'கடனை|கடன் பாக்கி|நிலுவை*|திவால்*|ஜப்தி*|மீட்பு முகவர்*',
  zh: '欠债|欠債|负债|負債|债务|債務|老赖|催收|讨债|討債|破产|破產|强制搬迁|网贷|網貸',
  ja: '債務整理|任意整理|督促状|取り立て|延滞|給与差押|差押え|立ち退き|闇金|ブラックリスト|多重債務|個人再生',
  ko: '채권추심|개인회생|신용불량|추심|퇴거|독촉',
  vi: 'khoản nợ|vỡ nợ|đòi nợ|siết nợ|bị đuổi khỏi nhà|con nợ',
  th: 'หนี้|ค้างชำระ|ทวงหนี้|ยึดทรัพย์|อายัดเงินเดือน|ล้มละลาย|เช็คเด้ง',
  id: 'utang|hutang|tunggakan|menunggak|penagih utang|penagih hutang|pinjol|gagal bayar|disita|penyitaan|pailit|bangkrut|bankrap|diusir dari|digusur|muflis|ah long|ceti haram|senarai hitam|ctos|ccris',
  tl: 'pagkakautang|naniningil|maniningil|nasingil|pinalayas|palalayasin|na-foreclose|hindi nakabayad',
  sw: 'ana deni|deni la|madeni|dalali|kunadi|kunadiwa|kupigwa mnada|hajalipa|kufilisiwa|amefilisika|mdaiwa',
  am: 'ዕዳ|እዳ|ያልተከፈለ ብድር|ክስረት|ከቤት ማስወጣት',
  ka: 'ვალი|ვალის|ვალები|ვალების|აღსრულებ*|ყადაღ*|გამოსახლებ*|გადახდისუუნარ*|ვადაგადაცილებ*',
  hy: 'պարտք*|հարկադիր կատարում*|արգելանք*|սնանկ*|վտարում*|ժամկետանց*',
};

// 8. pregnancy, disability, mental-health condition (reported as medical)
const CONDITION: Lists = {
  en: 'pregnant|pregnancy|wheelchair user|uses a wheelchair|in a wheelchair|visually impaired|hearing impaired|asperger*|dyslexi*|anxiety disorder|panic attacks|ptsd|eating disorder|anorexi*|bulimi*|self-harm*|suicidal|antidepressant*|sertraline|fluoxetine|citalopram|borderline personality|clinical depression|depressive episode|postnatal depression|postpartum depression|schizoaffective',
  es: 'discapacidad|minusválid*|silla de ruedas|trastorno de ansiedad|ataques de pánico|ataque de pánico|esquizofrenia|intento de suicidio|antidepresivo*|psiquiatra',
  pt: 'gestante|deficiência|cadeira de rodas|deficiente|ansiedade|transtorno*|esquizofrenia|síndrome de down|tentativa de suicídio|antidepressivo*|psiquiatra|depressão',
  fr: 'handicap*|fauteuil roulant|rqth|trouble anxieux|troubles anxieux|tentative de suicide|antidépresseur*|psychiatre|trisomie',
  it: "disabilità|disabile|invalidità|sedia a rotelle|disturbo d'ansia|disturbo ossessivo|disturbo dell'umore|attacchi di panico|tentato suicidio|antidepressiv*|psichiatra|litio",
  de: 'schwerbehindert*|schwerbehinderung|behinderung*|grad der behinderung|gdb von|rollstuhl*|angststörung*|panikattack*|depressionen|depressiv*|psychisch krank|psychische erkrankung|psychiater*|psychotherap*|suizidversuch|antidepressiva|mutterschutz',
  nl: 'gehandicapt*|lichamelijke beperking|verstandelijke beperking|rolstoel*|angststoornis*|paniekaanval*|depressie*|zwangerschapsverlof|suïcidepoging|psychiater|antidepressiva',
  pl: 'niepełnosprawn*|wózk* inwalidzk*|zaburzeni* lękow*|prób* samobójcz*|psychiatr*|antydepresant*',
  cs: 'zdravotně postižen*|invalidní vozík|vozíčkář*|invalidní důchod|úzkostn* porucha|deprese|pokus o sebevraždu|psychiatr*|antidepresiv*|mateřsk* dovolen*',
  sk: 'aspergerov*|zdravotne postihnut*|invalidn* vozík*|depresi*|úzkostn* porucha|psychiatr*|ťzp',
  ro: 'însărcinată|gravidă|dizabilit*|scaun cu rotile|depresie|anxietate|atac* de panică|tentativă de suicid|psihiatru|antidepresiv*',
  hu: 'várandós*|áldott állapotban|fogyatékos*|fogyatékkal|kerekesszék*|szorongás*|skizofrén*|öngyilkossági kísérlet*|antidepresszáns*|autista',
  el: 'αναπηρ*|αμεα|κατάθλιψ*|αγχώδ* διαταραχ*|κρίσεις πανικού|σχιζοφρέν*|διπολικ*|απόπειρα αυτοκτονίας|ψυχίατρ*|αντικαταθλιπτικ*|αυτισμ*',
  tr: 'gebe|engelli|tekerlekli sandalye|depresyon*|anksiyete|panik atak|şizofreni|intihar girişimi|psikiyatri*|antidepresan*|doğum izni',
  ru: 'инвалид*|тревожн* расстройств*|паническ* атак*|попытк* самоубийств*|попытк* суицид*|психиатр*|антидепрессант*|в декрете',
  uk: 'вагітн*|інвалідніст*|інвалід*|депресі*|тривожн* розлад*|панічн* атак*|спроб* самогубств*|психіатр*|антидепресант*|декретн* відпустк*',
  sh: 'trudn*|invaliditet*|invalidsk* kolic*|depresij*|anksioznost*|napad* panike|shizofrenij*|šizofren*|pokušaj samoubistva|pokušaj samoubojstva|psihijat*|antidepresiv*|porodiljn*|трудноћ*|инвалидитет*|депресиј*|шизофрениј*|психијатр*',
  bg: 'бременн*|тревожност|опит за самоубийство|психиатър|телк',
  sv: 'gravid*|funktionsnedsättning*|funktionshinder|rullstol*|depression|panikångest|ångest*|självmordsförsök|psykiatr*|antidepressiv*|utbrändhet',
  no: 'funksjonsnedsettelse*|rullestol*|depresjon*|angstlidelse*|panikkangst|selvmordsforsøk|uføretrygd*|svangerskap*',
  da: 'kørestol*|angstlidelse|angstanfald|selvmordsforsøg|førtidspension*|på barsel',
  fi: 'raskau*|vammai*|pyörätuoli*|masennu*|masentu*|ahdistuneisuushäiriö*|paniikkihäiriö*|skitsofreni*|itsemurhayrityk*|itsemurhayritys|mielialalääk*|työkyvyttömyyseläk*|äitiysloma*',
  ar: 'إعاقة|معاق|معاقة|كرسي متحرك|اضطراب ثنائي القطب|اضطراب القلق|نوبات هلع|فصام|انفصام|محاولة انتحار|طبيب نفسي|مضادات الاكتئاب|إجازة أمومة',
  fa: 'حاملگی|حامله|معلولیت|معلول|ویلچر|افسردگی|اختلال اضطراب|دوقطبی|اسکیزوفرنی|خودکشی|روانپزشک|روان‌پزشک|ضدافسردگی|اوتیسم|صرع',
  ur: 'حاملہ|معذور|معذوری|وہیل چیئر|ڈپریشن|ذہنی دباؤ|ذہنی مریض|نفسیاتی|خودکشی کی کوشش|شیزوفرینیا|آٹزم|مرگی',
  he: 'בהריון|בהיריון|הריון|נכות|כיסא גלגלים|דיכאון|הפרעת חרדה|התקפי חרדה|התקף חרדה|סכיזופרניה|דו-קוטבי|דו קוטבי|ניסיון התאבדות|פסיכיאטר|נוגדי דיכאון|אוטיזם|אפילפסיה|חופשת לידה',
  hi: 'गर्भवती|प्रेग्नेंट|विकलांग*|दिव्यांग*|व्हीलचेयर|डिप्रेशन|अवसाद|एंग्जायटी|चिंता विकार|बाइपोलर|सिज़ोफ्रेनिया|आत्महत्या की कोशिश|मनोचिकित्सक|ऑटिज़्म|मैटरनिटी लीव',
  bn: 'গর্ভবতী|অন্তঃসত্ত্বা|প্রতিবন্ধী|হুইলচেয়ার|বিষণ্ণতা|ডিপ্রেশন|উদ্বেগজনিত|সিজোফ্রেনিয়া|আত্মহত্যার চেষ্টা|মনোরোগ|অটিজম|মাতৃত্বকালীন ছুটি|স্পাইনাল কর্ড|পক্ষাঘাত',
  ta: 'கர்ப்பிணி*|கர்ப்பமா*|மாற்றுத்திறனாளி*|சக்கர நாற்காலி*|மன அழுத்த*|மனச்சோர்வு*|மனநல*|தற்கொலை முயற்சி*|வலிப்பு*',
  zh: '懷孕|孕期|残疾|殘疾|残障|轮椅|輪椅|抑郁|憂鬱症|躁郁症|双相情感|自杀未遂|自殺未遂|自闭症|自閉症|产假|產假|癫痫|癲癇',
  ja: '障害者手帳|障がい|障害者|車椅子|車いす|適応障害|パニック障害|発達障害|自閉症|産休|自殺未遂|てんかん|不安障害|躁うつ病',
  ko: '장애인|장애 등급|휠체어|자폐|발달장애|양극성|조울증|불안장애|자살 시도|정신과|출산휴가|뇌전증|간질',
  vi: 'mang thai|có thai|có bầu|đang bầu|tiền sản giật|khuyết tật|xe lăn|trầm cảm|rối loạn lo âu|tâm thần phân liệt|rối loạn lưỡng cực|tự tử|tự sát|bác sĩ tâm thần|nghỉ thai sản|thai sản',
  th: 'ตั้งครรภ์|ตั้งท้อง|พิการ|วีลแชร์|ซึมเศร้า|ไบโพลาร์|โรคจิตเภท|โรควิตกกังวล|ฆ่าตัวตาย|จิตแพทย์|ออทิสติก|ลาคลอด',
  id: 'hamil|mengandung|disabilitas|difabel|penyandang cacat|kursi roda|depresi|gangguan kecemasan|skizofrenia|percobaan bunuh diri|cubaan bunuh diri|psikiater|psikiatr*|cuti bersalin|cuti melahirkan',
  tl: 'buntis|nagdadalang-tao|may kapansanan|naka-wheelchair|depresyon|nagtangkang magpakamatay',
  sw: 'mjamzito|ujauzito|ana mimba|ulemavu|mlemavu|kiti cha magurudumu|msongo wa mawazo|sonona|alijaribu kujiua|kujaribu kujiua|daktari wa akili|ugonjwa wa akili|likizo ya uzazi',
  am: 'የሚጥል በሽታ|ነፍሰ ጡር|አካል ጉዳተኛ|አካል ጉዳት|ዊልቸር|የመንፈስ ጭንቀት|ድባቴ|የአእምሮ ሕመም|የአእምሮ ህመም|ራሱን ለማጥፋት|ራሷን ለማጥፋት|የወሊድ ፈቃድ',
  ka: 'ორსულ*|შეზღუდული შესაძლებლობ*|ეტლ*|დეპრესი*|შფოთვით* აშლილობ*|შიზოფრენი*|ბიპოლარ*|თვითმკვლელობის მცდელობ*|ფსიქიატრ*|ეპილეფსი*|აუტიზმ*|დეკრეტულ*',
  hy: 'հղի*|հաշմանդամ*|սայլակ*|դեպրեսի*|ընկճախտ*|տագնապային խանգարում*|շիզոֆրենի*|ինքնասպանության փորձ*|հոգեբույժ*|էպիլեպսի*|աուտիզմ*|դեկրետ*',
};

/**
 * One language's words of a set, with its own small patterns, each built the first time it is asked for.
 *
 * (speed) One pattern of all of a set's words (some 1,400, flags "giu") cost V8 0.3 s to compile, again on tier-up, for
 * two-byte strings and after the code is flushed; a Unicode property class ("[\p{L}\p{M}]") costs a millisecond or more
 * wherever it stands, and the "i" and "u" flags make every part dearer. So a language's patterns have neither: they run
 * on a copy of the text in which each character is its case fold (`fold`) where that is one of the language's words'
 * characters, and otherwise a stand-in of its kind (a letter or mark, a number, anything else; white space kept); their
 * classes list the language's own characters and the stand-ins. Each character keeps its length: indices are the text's.
 */
export class TermGroup {
  /** each word's place in the one-pattern form of the set (its alternatives in order: bounded, then joined) */
  readonly order: number[] = [];
  private readonly raw: { compound: boolean; end: boolean; body: string }[];
  private folded: { compound: boolean; end: boolean; segs: string[] }[] | null = null;
  private built: { chars: Set<number>; terms: RegExp; exact: RegExp } | null = null;

  constructor(
    readonly lang: string,
    readonly joined: boolean,
    words: { compound: boolean; end: boolean; body: string; order: number }[],
  ) {
    this.raw = words;
    for (const w of words) this.order.push(w.order);
  }

  /** the words, their parts folded (`fold`), a space for any white space (when first asked for: not at every import) */
  private get words() {
    return (this.folded ??= this.raw.map((w) => ({ compound: w.compound, end: w.end, segs: w.body.split('*').map(foldString) })));
  }

  /** the words' literal starts, folded: every match has one */
  get literals(): string[] {
    return this.words.map((w) => w.segs[0]);
  }

  private build() {
    if (this.built) return this.built;
    // the words' characters (folded; white space aside), each in the classes of its kind
    const chars = new Set<number>();
    for (const w of this.words) for (const seg of w.segs) for (const c of seg) if (c !== ' ') chars.add(c.codePointAt(0)!);
    const unicode = [...chars].some((cp) => cp > 0xffff);
    let lm = '';
    let lmn = '';
    for (const cp of chars) {
      const k = kind(cp);
      if (k === SPACE || (cp >= 0xe000 && cp <= 0xe002))
        throw new Error(`special-terms-ml: unexpected character in a word: U+${cp.toString(16)}`);
      if (k === LM) lm += escapeChar(cp, unicode);
      if (k === LM || k === NUM) lmn += escapeChar(cp, unicode);
    }
    const L = `[${lm}\\ue000]`;
    const LN = `[${lmn}\\ue000\\ue001]`;
    const ending = `${L}*`;
    const src = (w: { segs: string[] }) =>
      w.segs.map((seg) => [...seg].map((c) => (c === ' ' ? '\\s' : escapeChar(c.codePointAt(0)!, unicode))).join('')).join(ending);
    const alts = this.words.map((w) => (this.joined ? `${src(w)}${w.end ? `(?!${L})` : ''}()` : `${w.compound ? ending : ''}${src(w)}()`));
    const terms = this.joined ? alts.join('|') : `(?<!${LN})(?:${alts.join('|')})(?!${L})`;
    this.built = {
      chars,
      terms: new RegExp(terms, unicode ? 'gu' : 'g'),
      exact: new RegExp(`^(?:${this.words.map(src).join('|')})$`, unicode ? 'u' : ''),
    };
    return this.built;
  }

  /** The copy of `s` this group's patterns read (same length, same indices; see the class). */
  mapped(s: string): string {
    const { chars } = this.build();
    let out = '';
    for (const c of s) {
      const cp = c.codePointAt(0)!;
      const f = fold(cp);
      if (chars.has(f)) out += String.fromCodePoint(f);
      else {
        const k = kind(cp);
        out += k === SPACE ? c : (k === LM ? '\ue000' : k === NUM ? '\ue001' : '\ue002').repeat(c.length);
      }
    }
    return out;
  }

  /** The group's first match in `mapped` (its `mapped` copy) at or after `from`: index, end, place in the set's order. */
  next(mapped: string, from: number): { index: number; end: number; order: number } | null {
    const re = this.build().terms;
    re.lastIndex = from;
    const m = re.exec(mapped);
    if (m === null) return null;
    let k = 1;
    while (m[k] === undefined) k++;
    return { index: m.index, end: m.index + m[0].length, order: this.order[k - 1] };
  }

  /** Whether `s` is, as a whole, one of the group's words. */
  exact(s: string): boolean {
    return this.build().exact.test(this.mapped(s));
  }
}

const escapeChar = (cp: number, unicode: boolean) =>
  cp < 0x80 && /[\w ]/.test(String.fromCharCode(cp))
    ? String.fromCharCode(cp)
    : cp > 0xffff && unicode
      ? `\\u{${cp.toString(16)}}`
      : String.fromCodePoint(cp)
          .split('')
          .map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`)
          .join('');

const OTHER = 1;
const LM = 2;
const NUM = 3;
const SPACE = 4;
// (the one-pattern form's classes, one character at a time, remembered: [\p{L}\p{M}] and [\p{L}\p{M}\p{N}] under "iu"
// hold the same characters as without "i", which costs less; test/privacy/special-terms-ml.test.ts checks every one)
let LM_RE: RegExp | null = null;
let N_RE: RegExp | null = null;
const kinds = new Uint8Array(0x10000);
const astralKinds = new Map<number, number>();
/** What the one-pattern form's classes make of the character `cp`: a letter or mark, a number, white space, other. */
export function kind(cp: number): number {
  let k = cp < 0x10000 ? kinds[cp] : (astralKinds.get(cp) ?? 0);
  if (k !== 0) return k;
  const c = String.fromCodePoint(cp);
  LM_RE ??= /\p{L}|\p{M}/u;
  N_RE ??= /\p{N}/u;
  k = LM_RE.test(c) ? LM : N_RE.test(c) ? NUM : /\s/u.test(c) ? SPACE : OTHER;
  if (cp < 0x10000) kinds[cp] = k;
  else astralKinds.set(cp, k);
  return k;
}

// Characters whose upper case's lower case is not a character they match under "iu" (the dotless i's is "i")
const FOLD_SELF = new Set<number>([0x0131]);
const folds = new Uint32Array(0x10000);
/**
 * A character's case fold as "iu" patterns compare characters: two characters match each other there iff their folds
 * are the same (for the characters of the words: test/privacy/special-terms-ml.test.ts checks every character against
 * every word's character). The lower case of the upper case, where each is one character of the same length.
 */
export function fold(cp: number): number {
  if (cp < 0x80) return cp >= 65 && cp <= 90 ? cp + 32 : cp;
  if (cp < 0x10000 && folds[cp] !== 0) return folds[cp];
  const c = String.fromCodePoint(cp);
  let f = cp;
  if (!FOLD_SELF.has(cp)) {
    const u = c.toUpperCase();
    const l = (u.length === c.length ? u : c).toLowerCase();
    // (one character, of the same length: the copy's indices stay the text's)
    if (l.length === c.length && String.fromCodePoint(l.codePointAt(0)!) === l) f = l.codePointAt(0)!;
  }
  if (cp < 0x10000) folds[cp] = f;
  return f;
}
/** `s` folded a character at a time (`fold`), white space a space. */
export function foldString(s: string): string {
  let out = '';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (cp < 0x80) out += (cp >= 9 && cp <= 13) || cp === 32 ? ' ' : cp >= 65 && cp <= 90 ? String.fromCharCode(cp + 32) : c;
    else out += kind(cp) === SPACE ? ' ' : String.fromCodePoint(fold(cp));
  }
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A compiled set: its gate words, and its words by language (see TermGroup). */
export class CompiledTerms {
  /** gate (lowercase literals, "|"-joined, case-sensitive on a lowercased copy): every word's literal start */
  readonly gate: RegExp;
  /** one group a language (in the order of the one-pattern form: its bounded alternatives, then its joined ones) */
  readonly groups: TermGroup[];
  /** the lists the set was compiled from (the tests build the one-pattern form from them) */
  readonly lists: readonly Lists[];
  /** the groups' literal starts by their first two characters (one for a literal of one): [literal, group] */
  private index: Map<string, [string, number][]> | null = null;
  private readonly singles = new Map<string, number[]>();

  constructor(...lists: Lists[]) {
    this.lists = lists;
    const gate = new Set<string>();
    const byLang = new Map<string, { compound: boolean; end: boolean; body: string; order: number }[]>();
    const bounded: { lang: string; w: { compound: boolean; end: boolean; body: string } }[] = [];
    const joined: typeof bounded = [];
    for (const list of lists) {
      for (const [lang, words] of Object.entries(list)) {
        for (const raw of words.split('|')) {
          let w = normalise(raw.trim()).text;
          if (!w) continue;
          const compound = w.startsWith('~');
          if (compound) w = w.slice(1);
          const end = w.endsWith('$');
          const body = end ? w.slice(0, -1) : w;
          const literal = body.split('*')[0].toLowerCase();
          if ([...literal].length < (JOINED.has(lang) ? 1 : 2)) throw new Error(`special-terms-ml: gate word too short: ${raw}`);
          gate.add(escape(literal));
          (JOINED.has(lang) ? joined : bounded).push({ lang, w: { compound, end, body } });
        }
      }
    }
    // (the one-pattern form: every bounded word, then every joined one, each in list order; a language's words keep
    // their places in it, which decide between two languages' matches at the same index)
    [...bounded, ...joined].forEach(({ lang, w }, order) => {
      let ws = byLang.get(lang);
      if (!ws) byLang.set(lang, (ws = []));
      ws.push({ ...w, order });
    });
    this.groups = [...byLang].map(([lang, ws]) => new TermGroup(lang, JOINED.has(lang), ws));
    this.gate = new RegExp([...gate].join('|'));
  }

  private literalIndex(): Map<string, [string, number][]> {
    if (this.index !== null) return this.index;
    this.index = new Map();
    this.groups.forEach((g, gi) => {
      for (const lit of new Set(g.literals)) {
        if (lit.length < 2) {
          const l = this.singles.get(lit) ?? [];
          if (!l.includes(gi)) l.push(gi);
          this.singles.set(lit, l);
        } else {
          const key = lit.slice(0, 2);
          const l = this.index!.get(key) ?? [];
          l.push([lit, gi]);
          this.index!.set(key, l);
        }
      }
    });
    return this.index;
  }

  /** The groups with one of their words' literal starts in `s` (case-insensitively, any white space for a space). */
  groupsIn(s: string): TermGroup[] {
    const index = this.literalIndex();
    const f = foldString(s);
    const hit = new Set<number>();
    for (let i = 0; i < f.length; i++) {
      const one = this.singles.get(f[i]);
      if (one !== undefined) for (const g of one) hit.add(g);
      const list = index.get(f.slice(i, i + 2));
      if (list !== undefined) for (const [lit, g] of list) if (!hit.has(g) && f.startsWith(lit, i)) hit.add(g);
    }
    return this.groups.filter((_, gi) => hit.has(gi));
  }

  /**
   * Every match in `s` of the one-pattern form of the set (`s.matchAll` of it, flags "giu"), found with the groups'
   * small patterns: from the current index, each group's first match; the leftmost is taken, at one index the one whose
   * word comes first in the one-pattern form (that pattern's choice), and the search goes on from its end. Only the
   * groups with a word's literal start in `s` are asked (`groupsIn`).
   */
  matches(s: string): { index: number; 0: string }[] {
    const out: { index: number; 0: string }[] = [];
    const live = this.groupsIn(s).map((g) => {
      const mapped = g.mapped(s);
      return { g, mapped, hit: g.next(mapped, 0) };
    });
    let at = 0;
    for (;;) {
      let best: { index: number; end: number; order: number } | null = null;
      for (const l of live) {
        if (l.hit !== null && l.hit.index < at) l.hit = l.g.next(l.mapped, at);
        const h = l.hit;
        if (h !== null && (best === null || h.index < best.index || (h.index === best.index && h.order < best.order))) best = h;
      }
      if (best === null) return out;
      out.push({ index: best.index, 0: s.slice(best.index, best.end) });
      at = best.end;
    }
  }

  /** Whether `s` is, as a whole, one of the set's words. */
  exact(s: string): boolean {
    return this.groupsIn(s).some((g) => g.exact(s));
  }
}

/** Criminal record, religion, union membership, immigration status, orientation and gender identity: special_category. */
export const SPECIAL_ML = new CompiledTerms(CRIMINAL, RELIGION, UNION, IMMIGRATION, ORIENTATION);
/** Medical procedures and results; pregnancy, disability and mental health: medical. */
export const SPECIAL_ML_HEALTH = new CompiledTerms(MEDICAL, CONDITION);
/** Debts and their enforcement: financial. */
export const SPECIAL_ML_DEBT = new CompiledTerms(DEBT);
/** (tests) the words' languages that match without word boundaries, and the characters of an inflected ending */
export const ONE_PATTERN_FORM = { JOINED, ENDING: String.raw`[\p{L}\p{M}]*` };
