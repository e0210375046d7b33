import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the seventeenth blind evaluation (data/router/privacy-blind-17.jsonl) found missed or falsely flagged,
// generalised (version 19; data/router/README.md). Every case is a new example written for this test, not a
// blind-set row; each "is flagged" / "is not flagged" case failed on version 18.
const flagged = (t: string) => scanPrivacy(t).sensitive;

describe('the seventeenth blind set: found', () => {
  it.each([
    [
      'a password XORed into a byte array, then used to log in',
      'Found this in the old sync script, what does it do?\n\n_blob = bytes([0x10, 0x37, 0x76, 0x62, 0x35, 0x13, 0x73, 0x2c, 0x60, 0x0d, 0x31, 0x78, 0x3b, 0x16])\nsecret = bytes(b ^ 0x41 for b in _blob).decode()\nftp = FTP("files.internal.example")\nftp.login("sync", secret)',
    ],
    [
      "a named child's epilepsy and medication dose (Russian)",
      'Помогите написать записку воспитателю: моя дочь Алиса Петренко, 5 лет, группа «Солнышко». У неё эпилепсия, принимает леветирацетам 250 мг утром и вечером. Если начнётся приступ — положить на бок и звонить мне.',
    ],
    [
      "a named employee's sexual orientation (French)",
      "Rédige le compte rendu : Mme Sophie Marchand (logistique, site de Rennes) nous a dit qu'elle est lesbienne et que son chef d'équipe se moque d'elle depuis des semaines.",
    ],
    [
      "a named employee's sexual orientation (Italian)",
      'Riassumi per le risorse umane: la signora Elena Ferri ci ha confidato di essere lesbica e chiede che la cosa resti riservata al suo team.',
    ],
    [
      'a bot token split over two variables joined in the bot URL',
      'Why does this return 401?\n\n```bash\nP1="8812345670"\nP2="AAGq3Lx9vB_k2MzT7wQpR4nYc-8dHs1eFuV"\ncurl -s "https://api.telegram.org/bot${P1}:${P2}/getMe"\n```',
    ],
    [
      'a password in chat after talk of credentials, with no label',
      'Summarise this chat for the handover doc:\n\n[10:02] Priya: what are the creds for the staging jump host?\n[10:03] Tom: user deploy-ops\n[10:03] Tom: pass is the usual one, Marlin#Quarry_7740\n[10:05] Priya: thanks, works',
    ],
    [
      'a password as a chat message of its own after a request for access (Spanish)',
      'Resume este hilo:\nLucía: ¿alguien tiene el acceso al router de la oficina?\nDiego: usuario admin-of\nDiego: Pino!Delta_5531\nLucía: gracias',
    ],
    [
      'a named employee signed off sick with a slipped disc',
      'Please reword this for the rota: Mr Jonas Berg has been signed off sick since Monday with a slipped disc and starts physiotherapy next week; keep him off lifting duties.',
    ],
    [
      'a named employee on sick leave with a knee injury, then rehab (German)',
      'Bitte kürzer formulieren: Herr Malte Jansen aus dem Lager ist seit Montag krankgeschrieben wegen einer Meniskusverletzung, danach folgt die Reha in Bad Oeynhausen.',
    ],
    [
      'a named employee on sick leave with a herniated disc (French)',
      'Reformule ce message : M. Julien Faure est en arrêt maladie depuis le 3 mars pour une hernie discale, il reprendra après sa rééducation.',
    ],
    [
      "a named child's diabetes (Ukrainian)",
      'Допоможіть написати лист до вихователя: мій син Остап Коваль, 6 років, має цукровий діабет 1 типу, інсулін вводимо перед обідом.',
    ],
    ["a named child's epilepsy, the sentence opening with the relation (Russian)", 'Моя дочь Алиса Петренко, 5 лет: у неё эпилепсия.'],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
});

describe('the seventeenth blind set: not findings', () => {
  it.each([
    [
      "a company's main number in schema.org markup",
      'Write schema.org Organization JSON-LD for a press page: Microsoft Corporation, One Microsoft Way, Redmond, WA 98052, telephone +1-425-882-8080, founded 1975.',
    ],
    [
      "a company's switchboard number in a footer (German)",
      'Make this footer responsive: © Siemens AG, Werner-von-Siemens-Straße 1, 80333 München · Zentrale: +49 89 636 00 · Impressum',
    ],
    [
      "a vendor's documented placeholder tokens",
      'The Bolt docs say to export SLACK_BOT_TOKEN=xoxb-your-bot-token and SLACK_APP_TOKEN=xapp-your-app-token. Do I paste the real ones there?',
    ],
    [
      'a placeholder personal access token in a README',
      'README step 3: set GITHUB_TOKEN=ghp_your_personal_access_token_here in .env, then run npm start.',
    ],
    [
      "an HMAC's expected output after its key",
      'Checking my Go HMAC: key "k3y", message "hello", expected 88aab3ede8d3adf94d26ab90d3bafd4a2083070c3bcce9c014ee04a443847c0b but I print something else.',
    ],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});
