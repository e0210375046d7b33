import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the twenty-fifth blind evaluation (data/router/privacy-blind-25.jsonl) and the ones still missed of the
// twenty-fourth found missed, generalised (version 27; data/router/README.md). Every case is a new example written
// for this test, not a blind-set row; each "is found" case failed on version 26.
const categories = (t: string) => new Set(scanPrivacy(t).findings.map((f) => f.category));

describe('the twenty-fifth blind set: credentials assembled from literals, found', () => {
  it.each([
    [
      'a Java password joined by String.join("", …) and passed to getConnection',
      'private static final String K = String.join("", "Tq9#", "vLm2", "Xp7!r");\nConnection c = DriverManager.getConnection(JDBC_URL, "ops", K);',
    ],
    [
      'a C# password joined by string.Join("", new[] { … })',
      'var pw = string.Join("", new[] { "Hx4!", "kq9W", "m2zR" });\nusing var conn = new SqlConnection($"Server=db;User Id=app;Password={pw}");',
    ],
    ["a JavaScript secret joined by [...].join('')", "const s = ['Zr8$', 'Lq2v', 'N7xW'].join('');\nawait client.login('svc-bot', s);"],
    [
      'a C password assembled by sprintf("%s%s%s", …) from three literals',
      'static const char a[] = "Kp4";\nstatic const char b[] = "!rT8";\nstatic const char c[] = "wq2Z";\nchar buf[32];\nsprintf(buf, "%s%s%s", a, b, c);\nftp_login(session, "backup", buf);',
    ],
    [
      'a GitHub token rebuilt by Python %-formatting',
      'h1 = "ghp_R8kLm2QvX9pTz4Nb"\nh2 = "W7yHc3Dj5Fg6S1qE0aUr"\ngh = Github("%s%s" % (h1, h2))',
    ],
    ['a GitHub token rebuilt in a Python f-string', 'a = "R8kLm2QvX9pTz4NbW7yH"\nb = "c3Dj5Fg6S1qE0aUr"\ngh = Github(f"ghp_{a}{b}")'],
    [
      'a Stripe key rebuilt by Ruby format with a %w[] splat',
      'bits = %w[51HqLm8Rt2Vx 9KpZw4Nc7Yb3Qd6Fg0Jh]\nStripe.api_key = format("sk_live_%s%s", *bits)',
    ],
    [
      'a MySQL password inside a Go DSN built by fmt.Sprintf from two literals',
      'p1 := "Vq7!mR"\np2 := "2kLp9xZ"\ndsn := fmt.Sprintf("shop:%s%s@tcp(db.internal:3306)/orders", p1, p2)\ndb, _ := sql.Open("mysql", dsn)',
    ],
    [
      'a password rebuilt in a JavaScript template literal',
      "const x1 = 'Rk8#';\nconst x2 = 'vQ2m';\nconst x3 = 'Lz9p';\nconst pwd = `${x1}${x2}${x3}`;\nawait db.connect({ user: 'etl', password: pwd });",
    ],
  ])('%s is found', (_, text) => {
    expect(categories(text)).toContain('credential');
  });
});

describe('the twenty-fifth blind set: assembled literals that are not secrets', () => {
  it.each([
    ['words joined by String.join', 'String greeting = String.join("", "Hello", ", ", "World");\nSystem.out.println(greeting);'],
    [
      'a path built by snprintf',
      'static const char dir[] = "/usr/local/etc/";\nstatic const char file[] = "app.conf";\nsnprintf(path, sizeof path, "%s%s", dir, file);',
    ],
    ['a version string built by Ruby format', 'parts = %w[4 12 0]\nVERSION = format("v%s.%s.%s", *parts)'],
    ['a full name built in an f-string', 'first = "Ada"\nlast = "Lovelace"\nprint(f"{first} {last}")'],
    ['a CSS class list joined', "const cls = ['btn', 'btn-primary', 'is-large'].join(' ');"],
    ['a Go URL built by Sprintf', 'host := "api.example.com"\npath := "/v1/items"\nurl := fmt.Sprintf("https://%s%s", host, path)'],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});

describe('the twenty-fifth blind set: special categories in more languages, found', () => {
  it.each([
    [
      'a driver’s criminal record, in Italian',
      'Ti scrivo in confidenza: il nuovo autista, Luca Moretti, ha precedenti penali per furto, me l’ha detto il suo ex datore di lavoro.',
    ],
    [
      'a cashier’s conviction, in Portuguese',
      'Preciso de reescrever este e-mail: a nossa caixa Joana Ribeiro tem antecedentes criminais e cumpriu pena em 2018, mas não quero que isso se saiba na loja.',
    ],
    [
      'an employee convicted, in Greek',
      'Μετάφρασε στα αγγλικά: ο υπάλληλος Γιώργος Νικολάου καταδικάστηκε το 2019 για απάτη και δεν πρέπει να έχει πρόσβαση στο ταμείο.',
    ],
    ['a neighbour convicted, in Polish', 'Sąsiad Tomasz Wiśniewski był karany za jazdę po pijanemu, czy mogę to napisać we wspólnocie?'],
    [
      'a patient who is a Jehovah’s Witness, in Greek',
      'Σημείωμα για τη βάρδια: η ασθενής Μαρία Κωνσταντίνου είναι Μάρτυρας του Ιεχωβά και δεν δέχεται αίμα.',
    ],
    [
      'an employee who is a Jehovah’s Witness, in Russian',
      'Наш сотрудник Игорь Смирнов — Свидетель Иеговы, поэтому он не придёт на корпоратив. Как объяснить это коллегам?',
    ],
    [
      'a colleague in a union, in Dutch',
      'Kun je dit herschrijven? Onze planner Sanne de Boer is sinds maart lid van de vakbond en de teamleider wil dat weten.',
    ],
    ['a worker in a union, in Swedish', 'Skriv om mejlet: Erik Lindqvist på lagret är med i facket och är nu skyddsombud.'],
    [
      'a worker in a union, in Italian',
      'Riscrivi: Roberto Galli del magazzino si è iscritto al sindacato e il capo reparto ha iniziato a trattarlo male.',
    ],
    [
      'a colleague in a union, in Danish',
      'Omskriv venligst: vores kollega Mette Sørensen er medlem af en fagforening, og chefen spurgte mig om det.',
    ],
    [
      'a refugee named with her protection status, in Ukrainian',
      'Перекладіть англійською: Ірина Шевчук, 1985 р.н., отримала тимчасовий захист у Польщі й шукає житло у Вроцлаві.',
    ],
    [
      'an asylum seeker named, in German',
      'Bitte kürzer formulieren: Herr Samir Haddad ist Asylbewerber, sein Asylverfahren läuft noch, und der Vermieter fragt danach.',
    ],
    [
      'an asylum seeker named, in French',
      'Reformule ce message : notre bénévole Amina Diallo est demandeuse d’asile et n’a pas encore de titre de séjour.',
    ],
    [
      'a colleague with a two-particle family name and a criminal record, in Dutch',
      'Even onder ons: Wietske van den Broek van de kassa heeft een strafblad, zegt de bedrijfsleider.',
    ],
    [
      'a colleague with a two-particle family name in a union, in German',
      'Bitte neutral formulieren: Hiltrud von der Aue aus dem Einkauf ist Gewerkschaftsmitglied geworden.',
    ],
  ])('%s is found', (_, text) => {
    expect(categories(text)).toContain('special_category');
  });
});

describe('the twenty-fifth blind set: special-category words with no one named', () => {
  it.each([
    [
      'the Italian word for a final conviction, asked about',
      'Cosa significa "condanna definitiva" nel diritto italiano? Spiegalo in modo semplice.',
    ],
    ['a Dutch question on what a union does', 'Wat doet de vakbond FNV eigenlijk voor flexwerkers? Geef een kort overzicht.'],
    ['a Greek question on a faith', 'Ποιες είναι οι βασικές πεποιθήσεις των Μαρτύρων του Ιεχωβά; Απάντησε σύντομα.'],
    ['a German question on asylum law', 'Was ist subsidiärer Schutz, und wie unterscheidet er sich von einem Asylverfahren?'],
    ['a Ukrainian question on temporary protection', 'Поясніть, що таке тимчасовий захист у ЄС і скільки він триває.'],
    ['a Swedish question on unions', 'Hur många svenskar är med i facket idag? Ge en kort sammanfattning.'],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});

describe('the twenty-fourth blind set still missed: people named in scripts without capitals', () => {
  it.each([
    [
      'a Georgian colleague with a -ძე family name, said to be gay',
      'special_category',
      'ჩვენი ბუღალტერი, გიორგი მაისურაძე ჰომოსექსუალია და ამის შესახებ ყველამ გაიგო.',
    ],
    [
      'a Persian-speaking man named with "آقای", a refugee',
      'special_category',
      'لطفاً ترجمه کن: آقای مهدی کریمی پناهنده است و کارت اقامت او تمدید نشده است.',
    ],
    ['an Amharic patient named with a title, a biopsy', 'medical', 'እባክህ ተርጉምልኝ፦ አቶ ዮሐንስ በቀለ የባዮፕሲ ውጤት ካንሰር መሆኑን ያሳያል።'],
    [
      'a Greek patient named with "ο ασθενής", surgery',
      'medical',
      'Σημείωμα: ο ασθενής Σπύρος Λαμπράκης χρειάζεται επέμβαση στο γόνατο την Τρίτη.',
    ],
  ])('%s is found (%s)', (_, category, text) => {
    expect(categories(text)).toContain(category);
  });
});

describe('the twenty-fifth blind set: a company’s customer line and help mailbox in more languages, not flagged', () => {
  it.each([
    [
      'a Slovak shop’s support mailbox and customer line',
      'Oprav preklepy: V prípade otázok k objednávke nám napíšte na podpora@kvetinarstvo-lipa.sk alebo zavolajte na zákaznícku linku 0850 123 456.',
    ],
    [
      'a Hungarian web shop’s customer service',
      'Javítsd a helyesírást: Kérdés esetén hívja ügyfélszolgálatunkat a 06 1 234 5678 számon, vagy írjon az ugyfelszolgalat@kertbolt-minta.hu címre.',
    ],
    [
      'a Greek company’s customer service line',
      'Μετάφρασε στα αγγλικά: Για απορίες καλέστε την εξυπηρέτηση πελατών στο 210 123 4567 (Δευτέρα–Παρασκευή).',
    ],
    [
      'a Croatian shop’s customer service line',
      'Prevedi na engleski: Za sva pitanja nazovite korisničku službu na 01 4567 890 ili pišite na podrska@trgovina-primjer.hr.',
    ],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
  it('a person’s own number after a customer-line mention stays found', () => {
    const text = 'Zákaznická linka mi nepomohla, zavolejte mi prosím na můj mobil 604 123 456. Jana Dvořáková';
    expect(categories(text)).toContain('phone');
  });
});

describe('the twenty-fourth blind set still missed: a byte list XORed with a repeating key of several bytes', () => {
  it('a Slack token XORed with a two-byte key in Python is found', () => {
    const text =
      'KEY = b"Zk"\nDATA = [34, 4, 34, 9, 119, 89, 106, 95, 98, 93, 107, 88, 99, 92, 111, 70, 109, 92, 105, 95, 106, 90, 104, 94, 99, 83, 119, 35, 43, 83, 8, 6, 0, 0, 14, 89, 44, 39, 42, 82, 45, 51, 57, 88, 20, 9, 3]\n\ndef reveal(d, k=KEY):\n    return bytes(c ^ k[i % len(k)] for i, c in enumerate(d)).decode()\n\nclient = WebClient(token=reveal(DATA))';
    expect(categories(text)).toContain('credential');
  });
  it('a password XORed with a three-character key in JavaScript and used to log in is found', () => {
    const text =
      'const salt = "p3x";\nconst enc = [36, 65, 76, 81, 93, 46, 1, 10, 52, 29, 16, 74];\nconst pw = enc.map((c, i) => String.fromCharCode(c ^ salt.charCodeAt(i % salt.length))).join("");\nawait ftp.login("deploy", pw);';
    expect(categories(text)).toContain('credential');
  });
  it('a sentence XORed with a two-byte key in a tutorial is not flagged', () => {
    const text =
      'Repeating-key XOR demo:\nkey = b"ab"\nmsg = [9, 7, 13, 14, 14, 66, 22, 13, 19, 14, 5, 78, 65, 22, 9, 11, 18, 66, 8, 17, 65, 4, 8, 12, 4]\nprint(bytes(c ^ key[i % len(key)] for i, c in enumerate(msg)).decode())';
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});

describe('the twenty-fourth blind set still missed: code split over the line strings of a notebook cell', () => {
  it('a GitHub token assembled in an f-string over two lines of an .ipynb cell is found', () => {
    const text = JSON.stringify(
      {
        cell_type: 'code',
        source: [
          'from github import Github\n',
          "parts = ['R8kLm2QvX9pTz4Nb', 'W7yHc3Dj5Fg6S1qE0aUr']\n",
          'gh = Github(f"ghp_{parts[0]}{parts[1]}")\n',
          'print(gh.get_user().login)',
        ],
      },
      null,
      1,
    );
    expect(categories(text)).toContain('credential');
  });
  it('a notebook cell building a greeting in an f-string is not flagged', () => {
    const text = JSON.stringify(
      { cell_type: 'code', source: ["names = ['Ada', 'Grace']\n", 'msg = f"Hello {names[0]} and {names[1]}"\n', 'print(msg)'] },
      null,
      1,
    );
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});

describe('what a different writer assembles next: str.format, Concat of names, "+" chains, "$a$b"', () => {
  it.each([
    [
      'a password built by Python str.format',
      'p1 = "Wq8#nLm"\np2 = "4Zr!t2"\nconn = psycopg2.connect(host="db", user="app", password="{}{}".format(p1, p2))',
    ],
    [
      'a GitHub token built by str.format with indices',
      'x = "R8kLm2QvX9pTz4NbW7yH"\ny = "c3Dj5Fg6S1qE0aUr"\ngh = Github("ghp_{0}{1}".format(x, y))',
    ],
    [
      'a password built by C# string.Concat of names',
      'string a = "Kv7!pQ";\nstring b = "m2Xz9L";\nvar pw = string.Concat(a, b);\nconn.Open(user, pw);',
    ],
    [
      'a password built by JavaScript "+" of names',
      "const a = 'Hn5$wR';\nconst b = 'k8Lq2Z';\nconst pw = a + b;\nawait db.connect({ user: 'x', password: pw });",
    ],
    ['a password built by a Kotlin "$a$b" template', 'val a = "Jt4!rW"\nval b = "q9Mz2X"\nval pw = "$a$b"\nds.setPassword(pw)'],
    ['a password built by a PHP "$a$b" string', "<?php\n$a = 'Ux3#kP';\n$b = 'w7Nq2R';\n$pdo = new PDO($dsn, 'app', \"$a$b\");"],
  ])('%s is found', (_, text) => {
    expect(categories(text)).toContain('credential');
  });
  it.each([
    ['a full name joined by "+"', 'first = "Ada"\nlast = "Lovelace"\nfull = first + " " + last\nprint(full)'],
    ['a shell path of two variables', 'APP_DIR="/opt/shop"\nLOG_NAME="server.log"\ntail -f "$APP_DIR/$LOG_NAME"'],
    ['a URL built by str.format', 'base = "https://api.example.com"\npath = "/v2/orders"\nurl = "{}{}".format(base, path)'],
    [
      'a greeting built by string.Concat',
      'string hello = "Hello, ";\nstring name = "world";\nConsole.WriteLine(string.Concat(hello, name));',
    ],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});
