import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes of harmless look-alikes the fourth tuning set (data/router/privacy-tune-4.jsonl) found flagged, generalised
// across languages (version 27, flags; data/router/README.md), with their sensitive twins. Every case is a new example
// written for this test, not a set row; each "is not flagged" case was flagged by version 27 before this change.
const categories = (t: string) => new Set(scanPrivacy(t).findings.map((f) => f.category));

describe('role mailboxes and organisations’ lines: not personal data', () => {
  it.each([
    [
      'English, department mailboxes',
      'Please route supplier questions to procurement@brightwater-tools.com and statements to finance@brightwater-tools.com.',
    ],
    [
      'German, Vertrieb and Datenschutz',
      'Ergänze im Impressum: Anfragen an vertrieb@lindenhof-moebel.de, Datenschutz an datenschutz@lindenhof-moebel.de.',
    ],
    ['Spanish, ventas', 'Añade al pie de la web: pedidos a ventas@olivares-hogar.es y reclamaciones a reclamaciones@olivares-hogar.es.'],
    ['Portuguese, contato and SAC', 'Põe no rodapé: SAC 0800 777 1234 e fale com contato@padariaboavista.com.br para encomendas.'],
    ['French, hr alias with a suffix', 'Ajoute à la note interne : pour les congés, écrivez à rh-conges@atelier-moreau.fr.'],
    ['Italian, amministrazione', 'Scrivi una mail ai fornitori: le fatture vanno inviate ad amministrazione@ferramenta-rossi.it.'],
    [
      'Turkish, ik and kvkk',
      'İletişim sayfasına ekle: insan kaynakları ik@demirlojistik.com.tr, KVKK talepleri kvkk@demirlojistik.com.tr.',
    ],
    ['Chinese, kefu and business mailboxes', '请在官网页脚写上：客服邮箱 kefu@lanting-tea.cn，商务合作 hezuo@lanting-tea.cn。'],
    [
      'Japanese, free dial and support mailbox',
      'お問い合わせ先：フリーダイヤル 0120-345-678、メール support@sakura-kagu.jp までご連絡ください。',
    ],
    ['Arabic, it helpdesk', 'اكتب تعميماً للموظفين: للدعم التقني راسلوا it.helpdesk@alwaha-foods.sa ولشؤون الموظفين hr@alwaha-foods.sa.'],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});

describe('a switchboard, head office or consumer line by its word in more languages: an organisation’s', () => {
  it.each([
    ['German, Zentrale', 'Für die Website: Zentrale 030 1234 5678, E-Mail info@baeckerei-sonne.de.'],
    ['Italian, centralino', 'Per il sito: centralino 02 4567 8901, email segreteria@studio-bianchi.it.'],
    ['Spanish, centralita', 'Para la web: centralita 91 234 56 78 y correo recepcion@clinica-sol.es.'],
    ['French, standard', 'Pour le site : standard 01 42 34 56 78, courriel accueil@mairie-exemple.fr.'],
    ['Turkish, santral', 'Web sitesi için: Santral 0212 345 67 89, e-posta bilgi@demir.com.tr.'],
    ['Brazilian, SAC and Ouvidoria', 'Rodapé: SAC 11 3456-7890, Ouvidoria 11 3456-7891.'],
    ['Chinese, 总机', '官网联系方式：总机 010-6523 4567，邮箱 info@huamei.cn。'],
    ['Polish, centrala', 'Kontakt do biura: centrala 22 456 78 90, e-mail biuro@kowalski-transport.pl.'],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});

describe('a person’s own number beside the switchboard: still found', () => {
  it.each([
    ['German, a private mobile', 'Notiz: Frau Weber ist privat unter 0171 2345678 erreichbar, die Zentrale unter 030 1234 5678.'],
    [
      'French, a parent’s mobile after “sac” (a bag, not SAC)',
      'Liste pour la sortie : Léa Martin, son inhalateur est dans le sac, papa 06 52 18 47 93.',
    ],
  ])('%s is found', (_, text) => {
    expect(categories(text)).toContain('phone');
  });
});

describe('a person’s own mailbox beside role mailboxes: still found', () => {
  it.each([
    [
      'a named employee’s address',
      'Für Rückfragen: vertrieb@lindenhof-moebel.de oder direkt an Jana Krüger, jana.krueger@lindenhof-moebel.de.',
    ],
    ['a role word at a person’s own domain', 'Meine Webseite ist fertig, Anfragen bitte an kontakt@anna-berger.de.'],
    ['a private address', 'Mi vecino me dio su correo personal, marco.ibanez71@gmail.com, y el de la tienda ventas@olivares-hogar.es.'],
  ])('%s is found', (_, text) => {
    expect(categories(text)).toContain('email');
  });
});

describe('a public figure’s published life, in many languages: public record', () => {
  it.each([
    [
      'French, a painter’s depression',
      'Pour un exposé sur le peintre Nicolas de Staël : les historiens parlent de sa dépression avant sa mort en 1955.',
    ],

    [
      'German, a painter’s illness for a school paper',
      'Für ein Referat über den Maler Ernst Ludwig Kirchner: seine Depression und die Sucht nach dem Ersten Weltkrieg.',
    ],
    ['Turkish, a poet in prison', 'Lise ödevi için şair Ahmed Arif’in hapishane yıllarını ve şiirlerini anlatan kısa bir biyografi yaz.'],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});

describe('a private person’s health beside a celebrity: still found', () => {
  it.each([
    [
      'German, a colleague’s diagnosis beside a footballer',
      'Wie der Fußballer im Interview, hat auch meine Kollegin Sabine Vogt Diabetes; wie sage ich dem Team, dass sie Pausen braucht?',
    ],
  ])('%s is found', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(true);
  });
});

describe('credentials read from the environment or a vault: no value', () => {
  it.each([
    [
      'Bash, a required variable',
      '#!/bin/sh\n: "${DEPLOY_TOKEN:?DEPLOY_TOKEN must be set}"\ncurl -H "Authorization: token $DEPLOY_TOKEN" https://git.example.org/api',
    ],
    [
      'PowerShell, a secure string from $env:',
      '$secret = ConvertTo-SecureString $env:APP_SECRET -AsPlainText -Force\nConnect-Thing -Secret $secret',
    ],
    [
      'Elixir, System.get_env',
      'config :shop, Shop.Mailer,\n  api_key: System.get_env("MAILER_API_KEY"),\n  password: System.fetch_env!("SMTP_PASSWORD")',
    ],
    ['Ruby, ENV.fetch with a block and a bang', 'token = ENV.fetch("GITHUB_TOKEN") { raise "missing" }\npassword = ENV.fetch!("DB_PASS")'],
    [
      'PowerShell, a password typed at run time',
      '$password = Read-Host -AsSecureString "Password"\nNew-LocalUser -Name svc -Password $password',
    ],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});

describe('a real secret beside an environment read: still found', () => {
  it.each([
    ['a literal fallback password', 'config :shop, Shop.Repo,\n  username: System.get_env("DB_USER"),\n  password: "Vq8#mTz2!pLw"'],
    ['a PowerShell literal', '$user = $env:SQL_USER\n$pass = ConvertTo-SecureString "Kx7!rP2q#Wm9" -AsPlainText -Force'],
  ])('%s is found', (_, text) => {
    expect(categories(text)).toContain('credential');
  });
});

describe('general legal questions and hypothetical cases, in many languages: no one’s record', () => {
  it.each([
    [
      'German, a landlord asking about pregnancy',
      'Darf der Vermieter nach einer Schwangerschaft fragen? Und was gilt, wenn eine Mieterin dabei schweigt – kann er den Mietvertrag anfechten?',
    ],
    ['Arabic, pregnancy at an interview', 'هل يجوز لصاحب العمل أن يسأل الموظفة عن الحمل في المقابلة؟ وما حكم القانون إذا أخفت ذلك؟'],
    ['Arabic, an employee with diabetes', 'هل يحق لصاحب العمل فصل الموظف بسبب إصابته بالسكري؟ ماذا يقول القانون؟'],
    [
      'Vietnamese, a hypothetical dismissal',
      'Tình huống giả định: một người lao động nhiễm HIV bị công ty sa thải. Theo Bộ luật Lao động, việc này có hợp pháp không?',
    ],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});

describe('a named or known person inside a hypothetical or legal question: still found', () => {
  it.each([
    ['German, a named colleague', 'Hypothetisch: Meine Kollegin Anna Weber ist schwanger und wurde gekündigt. Darf der Arbeitgeber das?'],
    ['Spanish, the writer’s sister', 'Caso hipotético pero real: mi hermana Lucía Gómez está embarazada y la despidieron. ¿Es legal?'],
  ])('%s is found', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(true);
  });
});

describe('an anonymised case study, a person replaced by a letter: not identifiable', () => {
  it.each([
    [
      'German, Patient A in a seminar case',
      'Fallstudie für das Seminar: Patient A, 45 Jahre, leidet seit zwei Jahren an Depressionen und Alkoholabhängigkeit. Welche Therapie ist angezeigt?',
    ],
    [
      'German, Frau X at a nursing school',
      'Fallbeispiel für die Pflegeschule: Frau X, 82 Jahre, hat Demenz und Diabetes. Welche Pflegediagnosen passen?',
    ],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});

describe('a case study that names a real person beside the placeholder: still found', () => {
  it.each([['German, a named son', 'Fallstudie: Patientin B, 52 Jahre, hat Brustkrebs. Ihr Sohn Jonas Becker fragt nach der Prognose.']])(
    '%s is found',
    (_, text) => {
      expect(scanPrivacy(text).sensitive).toBe(true);
    },
  );
});

describe('a specimen identity number called one in its language: no one’s', () => {
  it.each([
    [
      'Turkish, a number for testing',
      'TC kimlik doğrulama fonksiyonu yazıyorum; test için 10000000146 numarasını kullanıyorum, geçerli mi?',
    ],
    ['Spanish, a number for testing', 'Estoy escribiendo una función que valida el DNI; para pruebas uso el número 48213907L, ¿es válido?'],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});

describe('the writer’s own identity number beside a validator being tested: still found', () => {
  it.each([
    ['Spanish, "mi DNI"', 'Mi DNI es 48213907L; ¿lo puedes pasar por tu función de prueba para ver si es válido?'],
    ['Portuguese, "meu CPF"', 'Meu CPF é 529.982.247-25, use-o de teste no validador.'],
  ])('%s is found', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(true);
  });
});

describe('a password dictated in words, in chat: found', () => {
  it.each([
    [
      'German, the guest Wi-Fi',
      "Schreib das netter für den Chat: 'Das Gäste-WLAN hat jetzt das Passwort Winter mit großem W, dann neunzehn, Fragezeichen, alles zusammen.'",
    ],
    [
      'English, the office Wi-Fi',
      "Make this Slack message friendlier: 'new office wifi password is autumn with a capital A, then 2024, exclamation mark, all one word. Router admin uses the same.'",
    ],
    [
      'French, the Wi-Fi',
      "Reformule pour l'équipe : le mot de passe du Wi-Fi c'est soleil avec un S majuscule, puis 77, point d'exclamation, tout attaché.",
    ],
  ])('%s is found', (_, text) => {
    expect(categories(text)).toContain('credential');
  });
});

describe('a password policy spelled out: not a password', () => {
  it.each([
    [
      'English',
      'Explain our password policy: at least one capital letter, e.g. a capital A, plus a lowercase letter and an exclamation mark.',
    ],
    ['German', 'Passwort-Richtlinie: mindestens ein Buchstabe mit großem A oder B, Ausrufezeichen erlaubt.'],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});
