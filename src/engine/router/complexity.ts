/**
 * Complexity assessment: how much reasoning a task needs, from features that go
 * beyond length and keywords: the task type (read from the instruction, not the
 * pasted material), reasoning depth cues, the number of steps and constraints,
 * the context it needs, the domain and the presence/shape of code.
 *
 * On top, the demands of the task: what it asks to be delivered (a judgement-heavy document, a review of a
 * body of work), its scope (the whole codebase, all our contracts, organisation-wide), audience (the board,
 * regulators), stakes (liability, production, compliance), rigour (thorough, complete, leave nothing out) and
 * multi-part structure; given, bounded material or an explicitly short result damps them.
 *
 * Beyond deliverables, kinds of reasoning a task demands in plain words: a diagnosis (a symptom with the
 * conditions under which it happens, or a question about its cause backed by attached evidence), a decision or
 * estimate weighing several factors, advice on a matter with stakes for the asker (legal, medical, financial,
 * people), judgement over several pieces of attached material, and advice that must hold in more than one
 * jurisdiction. Words inside quotations are material, not the request; hard words naming the material ("the
 * architecture document") are not the task type; work the task declares mechanical ("just move the text, don't
 * add anything"), or a reformatting of the material into a table, list or data format, is halved. Causal inference
 * (a paradox between the whole and its parts, a confounder that happened the same week, measuring an effect without
 * randomisation), scheduling under constraints with an objective, a deal reviewed for the asker's side, an HR
 * process to run legally, a dispute with an authority and build-versus-buy weigh like the other judgements.
 *
 * The weights are hand-set and were calibrated on the `tune` splits of data/router/complexity-set.jsonl,
 * data/router/complexity-demands-tune.jsonl and three rounds of data/router/complexity-fresh.jsonl (`fresh-1`,
 * `fresh-2`, `fresh-3`: each evaluated once, blind, before it became tuning data); the `holdout` split is only evaluated.
 * Evaluate a new labelled set with `node bench/complexity-eval.mjs <file.jsonl> --baseline <older build>`.
 *
 * Beside the rules, a learned model (complexity-model.ts: logistic regression over these features and hashed words of
 * the instruction, trained on every labelled set by bench/complexity-train.mjs) can raise the score: a task is hard
 * when either says so (assessComplexity); assessLexical is the rules alone.
 */
import type { ComplexityAssessment, ComplexityLevel } from './types.js';
import { charLogit, complexityModel, denseLogit, hashedLogit, modelScore, TASK_TYPES } from './complexity-model.js';

export interface ComplexityOptions {
  /** Tokens of context attached to the task (files, history) beyond the text itself. */
  contextTokens?: number;
  /** Number of chat messages in the conversation. */
  messages?: number;
}

/** Cheap token estimate used everywhere in the router (~4 characters a token). */
import { estimateTokens } from '../tokens.js';
export { estimateTokens };

type TaskType = (typeof TASK_TYPES)[number];

// Ordered: the first pattern that matches the instruction decides. Hard types first: "write a plan to migrate..." is a plan.
const TASK_PATTERNS: [TaskType, RegExp][] = [
  // A proof to check is a proof task ("check my convergence proof"), as is a correctness question about concurrent code.
  [
    'prove',
    /\b(?:prove|disprove|derive|formally verify|proof of(?! (?:concept|address|purchase|delivery|identity|funds|income|insurance))|show that|tla\+|coq|lean 4|invariants?|(?:my|our|the|this|his|her|their) (?:[\w-]+ )?proofs?\b(?! of (?:concept|address|purchase|delivery|identity|funds|income|insurance))|linearizab\w*|interleavings?|counter-?examples?|reduction (?:from|of) [\w-]+ to)\b/i,
  ],
  // A hard word naming the material or a body of people ("the architecture review board", "our design doc") is not the task.
  [
    'architecture',
    /\b(?:architect(?:ure)?(?! (?:review|board|document|doc|docs|diagram|team|committee|group|guild))|multi-region|event-sourced|microservices?|bounded contexts?|active-active|system design)\b/i,
  ],
  [
    'design',
    /\b(?:(?:rework|rethink|overhaul|redesign) how|(?:restructure|reorgani[sz]e) (?:our|the) (?:teams?|company|department|org\w*|process\w*|business|operations|supply chain)|design(?! (?:review|board|document|doc|docs|team|committee|system|file|mockups?|tokens?))|devise|propose a (?:redesign|design|schema)|schema, api|protocol for)\b/i,
  ],
  ['plan', /\b(?:plan (?:a|the|to)|step-by-step plan|roll ?out|migration plan|migrate (?:a|our|the)|roadmap|phased)\b/i],
  [
    'debug',
    /\b(?:debug|diagnose|root cause|find the bug|investigate why|figure out (?:why|whether)|leaks?|crash(?:es)?|oomkilled|deadlock|race condition|intermittent)\b/i,
  ],
  ['optimize', /\b(?:optimi[sz]e|speed up|reduce (?:our|the) (?:bill|cost|latency)|make (?:it|this) faster|performance tuning)\b/i],
  [
    'analyze',
    /\b(?:analy[sz]e|synthesi[sz]e|reconcile|evaluate|compare|assess|trade-?offs?|pros and cons|recommend (?:one|which)|which (?:is|should) (?:better|we))\b/i,
  ],
  [
    'implement',
    /\b(?:implement|build|refactor (?:our|the|a) (?:[\w-]+ ){0,2}(?:service|services|codebase|backend|system|platform|monolith|api|app|application)|write an? (?:[\w-]+ ){0,3}(?:compiler|crawler|scheduler|allocator|parser|interpreter|queue|cache|b\+? ?tree|database|protocol|engine))\b/i,
  ],
  ['translate', /\btranslat(?:e|ion)\b/i],
  ['summarize', /\b(?:summari[sz]e|summary|tl;?dr|condense)\b/i],
  ['classify', /\b(?:classify|categori[sz]e|tag each|label (?:each|these)|sentiment|is (?:this|it) spam)\b/i],
  ['extract', /\b(?:extract|pull out|find all|list (?:all|every)|parse)\b/i],
  ['format', /\b(?:format|convert|reformat|turn (?:this|these) into|to (?:json|yaml|csv|markdown|toml)|sort|rename|dedupe)\b/i],
  [
    'rewrite',
    /\b(?:rewrite|rephrase|proofread|fix (?:the )?(?:typos|grammar|indentation)|paraphrase|make (?:it|this) (?:more|less)|polish|tidy)\b/i,
  ],
  [
    'code_simple',
    /\b(?:regex|one-liner|docstring|commit message|unit test|type annotations|css rule|sql query|function that|bash|snippet)\b/i,
  ],
  ['explain', /\b(?:explain|describe|how does|how do|why does|what is the difference)\b/i],
  ['qa', /^\s*(?:what|who|when|where|which|how many|how much|is|are|does|do|can)\b|\?\s*$/i],
  ['generate', /\b(?:write|draft|generate|compose|create|give me|suggest)\b/i],
];
const TYPE_WEIGHT: Record<TaskType, number> = {
  classify: 0,
  extract: 0.02,
  summarize: 0.02,
  translate: 0,
  format: 0,
  rewrite: 0,
  qa: 0.05,
  generate: 0.08,
  code_simple: 0.08,
  explain: 0.15,
  analyze: 0.4,
  implement: 0.4,
  debug: 0.45,
  optimize: 0.45,
  plan: 0.45,
  design: 0.5,
  architecture: 0.55,
  prove: 0.6,
};

const REASONING_CUES =
  /\b(?:why|trade-?offs?|justify|argue|consider(?:ing)?|explain (?:why|how you)|root cause|hypothes[ie]s|guarantees?|correct(?:ness|ly)?|invariants?|linearizabl\w*|unique|edge cases?|failure modes?|implications|verify|systematic|prioriti[sz]e|rank them|compare|versus|vs\.?|what happens (?:when|if|as))\b/gi;
const DOMAIN_CUES =
  /\b(?:distributed|consisten(?:t|cy)|consensus|replica\w*|partition\w*|concurren\w*|thread-?safe|lock-?free|memory order\w*|atomic|race|idempoten\w*|exactly-once|rebalance|crdts?|operational transforms?|compiler|llvm|alias analysis|kernel|cgroup|gc pauses?|heap|latency|throughput|p99|scalab\w*|at scale|sharding|cryptograph\w*|vulnerabilit\w*|threat model|end-to-end encryption|theorem|lemma|undecidab\w*|continuous function|graph|colorable|gradient|backpropagation|regression|lambda|rank-deficient|power analysis|statistic\w*|experiment design|kafka|kubernetes|spanner|dynamodb|cassandra|cockroachdb|flink|grpc|tls|two-phase commit|b\+ ?tree|latch|multi-region|gdpr|data residency)\b/gi;
const CONSTRAINT_CUES =
  /\b(?:must|without|while keeping|keep(?:ing)? \w+ (?:identical|working)|no new|under \$?\d|within \d|at most|at least|budget|constraints?|requirements?|deadline|sla|p\d\d|less than|no more than|only (?:on|after|when)|backwards?[- ]compatib\w*|(?:zero|no) downtime|without downtime|rollback|fallback)\b/gi;
const QUANTITY_RE =
  /\b\d+(?:[.,]\d+)?\s?(?:ms|s|seconds|minutes|hours|%|k|m|b|gb|tb|pb|mb|gi|rps|qps|rows|users|instances|nodes|cores|requests|million|billion|x)\b|\$\d/gi;
const STEP_CUES = /\b(?:step[- ]by[- ]step|steps?|then|after that|first|second|finally|phases?|sequenc\w*|migration|timeline)\b/gi;
const CODE_FENCE_RE = /```|^\s{2,}\S.*[;{}()=]\s*$/gm;
// One word group after the punctuation class (the same matches as listing each word with its own \b, and "=>" is
// already counted by its "="): about a third cheaper on an 8 KB prompt, which this scans whole.
const CODE_TOKEN_RE = /[{};=]|\b(?:function|def|class|return|const|import|SELECT)\b/g;

// ---- Demands: what the task asks to be delivered, not the words it uses. A request for a rigorous or
// organisation-scale deliverable (a review of a whole codebase, an audit, a strategy, a threat model) is hard
// because of its scope and stakes, however plain its vocabulary. Five dimensions, each a small feature:
/** Documents whose worth is judgement across a large body of facts (weight 2) or a structured write-up (1). */
const DELIVERABLE_HEAVY =
  /\b(?:threat models?|risk (?:assessments?|registers?|analys[ie]s)|gap analys[ie]s|due diligence|business cases?|strateg(?:y|ies)|roadmaps?|post-?mortems?|runbooks?|playbooks?|curricul(?:um|a)|polic(?:y|ies)|audits?|disaster recovery|incident response plans?|operating models?|org(?:ani[sz]ation(?:al)?)? (?:design|chart)|go-to-market|budgets?|forecasts?|compliance (?:programs?|reports?)|pricing(?: and packaging)?(?: tiers?| models?| plans?| structures?| strateg(?:y|ies))|(?:bonus|commission|compensation|incentive|equity) (?:schemes?|plans?|structures?)|(?:statistical )?analysis plans?|(?:staffing|capacity|workforce|succession|hiring|headcount) plans?|grant (?:proposals?|applications?)|research (?:programmes?|programs?|proposals?))\b/gi;
const DELIVERABLE_LIGHT =
  /\b(?:reviews?|assessments?|evaluations?|reports?|proposals?|rfcs?|design docs?|white ?papers?|specifications?|requirements|plans?|recommendations?|answers to (?:every|all)|briefings?|chapters?|thes[ie]s|dissertations?|manuscripts?|papers?)\b/gi;
/** A leading verb that asks for judgement over a body of work (the task is a review, whatever follows). */
const REVIEW_LEAD =
  /^(?:please |can you |could you |i need you to |help me |we need to |let'?s )?(?:review|audit|assess|evaluate|go through|go over|look over|look through|check|examine|inspect|vet|scrutini[sz]e|critique|appraise|work out|figure out|put together|prepare|plan|draft|write up|do an? (?:full |complete |thorough )?(?:review|audit|assessment|analysis))\b/i;
/** Scope: an open-ended body of the organisation's material or an organisation-wide reach. */
const SCOPE_CUES =
  /\b(?:(?:the |our |my |their )?(?:whole|entire)\b|all \d+ (?:of )?(?:our|the|its|their)?\b|all (?:of )?(?:our|the company'?s|its|their)\b|all (?:new )?(?:employees|engineers|staff|teams|departments|customers|users|services|vendors|suppliers|contracts|libraries|dependencies|repos(?:itories)?|systems|accounts|endpoints|microservices|products|markets|regions|countries|sites|offices)\b|every (?:country|team|department|service|system|employee|vendor|contract|endpoint|repo(?:sitory)?|customer|market|region|place|question|one of our)\b|across (?:our|the|all|every)\b|end[- ]to[- ]end|company[- ]?wide|org(?:ani[sz]ation)?[- ]?wide|enterprise|(?:our|the) (?:company|organi[sz]ation|org|business|codebase|infrastructure|platform|fleet|production (?:environment|systems?))\b|(?:next|coming|five|three|\d+)[- ]years?\b|\d+[- ]pages?\b|(?:\d+|two|three|four|five|six|ten|twelve) (?:years|months|quarters) of\b|(?:our |these |those )?\d{2,} (?:[a-z-]+ )?(?:staff|people|employees|engineers|nurses|drivers|warehouses|vehicles|vans|trucks|locations|branches|shops|restaurants|schools|hospitals|clinics|factories|plants|interviews|accounts|files|repos(?:itories)?|services|products|documents|contracts|teams|clients|stores|sites|tables|microservices|servers|vendors)\b)/gi;
/** Audience: people a deliverable is answerable to. */
const AUDIENCE_CUES =
  /\b(?:the board|board of directors|executives?|executive team|leadership(?: team)?|c-suite|ceo|cfo|cto|investors?|regulators?|auditors?|legal(?: team)?|lawyers|shareholders|fda|ema|sec|fca|irs|hmrc|ico|the court|a court|judges?|tribunal|ethics (?:board|committee)|irb|the (?:whole )?(?:company|org(?:ani[sz]ation)?))\b/gi;
/** Stakes: what goes wrong if it is done badly. */
const STAKES_CUES =
  /\b(?:liabilit\w*|breach\w*|regulat\w*|complian\w*|soc ?2|hipaa|gdpr|pci(?:[- ]dss)?|iso ?27001|acqui(?:re|ring|sition)\w*|production|outages?|disaster|secur(?:e|ity)|privacy|licen[cs](?:e|es|ing)|least privilege|fraud|safety|banking|payments?|medical|patients?|lawsuits?|fines?|pric(?:e|es|ing)|hiring|layoffs?|revenue|payroll|equity|vesting|cash ?flow|enforceab\w*|non-?compete|inheritance|estate|dementia|diagnos\w*|custody|tax(?:es|ed|ation)?|severance|expan(?:d|ding|sion) into|(?:enter|entering) (?:the )?[\w-]+ markets?|new markets?|hospital\w*|nurs(?:e|es|ing)|landlord|tenan(?:t|cy)|deposit|care (?:home|fees)|inherit\w*|su(?:e|es|ed|ing)|dismissal|court|medicines?|medications?|prescri\w+|doctors?|drugs?|clinical|trials?|carer|pensions?|mortgages?|debts?|bankrupt\w*|cash|p&l|headcount|bonus(?:es)?|salar(?:y|ies)|lay(?:ing)? (?:off|people off)|redundanc\w*|divorce|visas?|immigration|harass\w*|bully\w*|discriminat\w*|misconduct|grievances?|disciplinary|whistle-?blow\w*|investigations?|inquir(?:y|ies)|term sheets?|leases?|vat|permits?|penalt(?:y|ies)|pci|pregnan\w*|(?:un)?lawful\w*|legally|(?:break|breaking|against) the law)\b/gi;
/** Rigour: how complete or careful the result must be. */
const RIGOUR_CUES =
  /\b(?:thorough(?:ly)?|complete|comprehensive(?:ly)?|exhaustive(?:ly)?|rigorous(?:ly)?|in[- ]depth|detailed|leave nothing out|nothing (?:missed|left out)|every single|each one|holds? up|bulletproof|airtight|defensible|watertight|full|all (?:the )?(?:edge cases|risks|gaps|issues|problems)|(?:each|every) (?:gap|issue|risk|problem|finding|instance|case|one|clause|path|way|step|dependency|assumption)|everything (?:that|which) (?:could|might|can)|rank(?:ed)? (?:by|them)|prioriti[sz]ed?|what (?:we|you) must|act on)\b/gi;
/** The material is given inline and bounded ("this sentence", "these names: …", a quoted or pasted block). */
const INLINE_MATERIAL =
  /\b(?:this|these|the following|that) (?:\w+ ){0,2}(?:sentence|line|lines|paragraph|list|text|email|message|names?|items?|words?|tickets?|title|notes?|snippet|json|yaml|csv|table|prices?|numbers?|values?|phrase|quote|tweet|headline|word|function|query|regex|string|log line)\b|:\s*["“'`]|:\s*\n|```/i;
const BREVITY =
  /\b(?:short|brief|quick|one[- ](?:line|liner|paragraph|sentence|page)|two[- ]sentence|a few (?:words|lines|bullets|sentences)|in (?:one|two|three|a few) (?:sentences?|bullets?|bullet points|lines?|words))\b/i;
const TRANSFORM_TYPES: ReadonlySet<TaskType> = new Set(['classify', 'extract', 'summarize', 'translate', 'format', 'rewrite']);

interface Demands {
  deliverable: number;
  review: number;
  scope: number;
  audience: number;
  stakes: number;
  rigour: number;
  inline: number;
  parts: number;
  diagnosis: number;
  decision: number;
  advice: number;
  recommend: number;
  /** Pieces of attached or pasted material listed (0-4). */
  evidence: number;
  mechanical: number;
  jurisdictions: number;
  /** Causal inference or constraint scheduling the question needs (0/1). */
  inference: number;
  score: number;
}

/**
 * How many different matches (case-folded) of the global pattern `re` the text holds, at most `max`: the matches
 * s.match(re) lists, read one at a time and no further than the `max`-th different one.
 */
function distinct(re: RegExp, s: string, max = Infinity): number {
  // (a pattern without the g flag never moves on: the loop below would not end)
  if (!re.global) throw new Error(`distinct: ${re} needs the g flag`);
  const seen = new Set<string>();
  re.lastIndex = 0;
  while (seen.size < max) {
    const m = re.exec(s);
    if (!m) break;
    seen.add(m[0].toLowerCase());
    if (m[0] === '') re.lastIndex++; // (as match() steps past an empty match)
  }
  re.lastIndex = 0;
  return seen.size;
}

/** A production verb shortly before a deliverable noun: the noun is what is asked for, not what is talked about. */
const PRODUCE_BEFORE =
  /\b(?:write|draft|create|prepare|produce|put together|build|develop|design|redesign|rethink|overhaul|give (?:me|us)|come up with|draw up|plan|set up|do|run|conduct|perform|deliver|outline|propose|define|update|rewrite)\b[^.?!]{0,48}$/i;

function producedDeliverables(instr: string): number {
  const seen = new Set<string>();
  DELIVERABLE_HEAVY.lastIndex = 0;
  for (let m = DELIVERABLE_HEAVY.exec(instr); m && seen.size < 2; m = DELIVERABLE_HEAVY.exec(instr)) {
    if (PRODUCE_BEFORE.test(instr.slice(Math.max(0, m.index - 64), m.index))) seen.add(m[0].toLowerCase());
  }
  return seen.size;
}

/**
 * Diagnosis: a symptom described with the conditions under which it happens ("only on phones", "some of the
 * time", "since we moved", "fine per cohort but bad overall", "dropped from 92% to 71%"). Several such
 * conditions mean interacting causes, however plain the words.
 */
const CONDITION_CUES =
  /\b(?:randomly|sometimes|some of the time|occasionally|intermittent(?:ly)?|now and then|(?:about |roughly )?once (?:a|an|every) \w+|every (?:few|other) \w+|only (?:on|when|since|after|for|in|under|with|if|some)|but (?:not|never|only|still|fine|works?)|never on|(?:went|dropped|fell|rose|jumped|grew) from|since (?:we|the|our|last)|after (?:we|the|our) (?:moved|switched|upgraded|migrated|deployed|added|changed)|under (?:heavy |high )?load|in production but|on \w+ but|but (?:bad|worse|wrong|slow|broken|fails?|drops?|falls?|down|up)|(?:went|goes|go|gone|grew|rose|fell|dropped|jumped|spiked|climbed|increased|decreased|doubled|halved) (?:up|down|from|to|by|\d+)|got (?:slow|worse|flaky|unstable)\w*|after (?:the|our|a|an) (?:[\w-]+ ){0,2}(?:upgrade|migration|move|switch|change|deploy(?:ment)?|release|update|rollout|redesign)|(?:pass|works?|look|looks|is|are) (?:fine|ok|green)\b[^.?!]{0,40}\bbut|even though|despite|some (?:nights|days|mornings|weeks|runs|requests|users|customers|builds|deploys)|(?:at|during|overnight|every) (?:night|peak|weekends?))\b/gi;
/** A symptom that is a harm in itself (money, data or users lost, things out of step). */
const HARM_CUES =
  /\b(?:(?:is|are|keeps?) (?:failing|broken|crashing)|loses?|losing|lost|charged twice|double[- ]charg\w*|duplicat\w+|logs? (?:people|users|me) out|out of sync|mismatch\w*|doesn'?t add up|corrupt\w*)\b/i;
/** A question about a cause ("why??", "find out why", "what's really driving it", "which change caused it"). */
const CAUSAL_Q =
  /\b(?:why|what(?:'?s| is) (?:really |actually )?(?:going on|driving|causing|behind|wrong|the pattern)|find (?:out )?(?:why|the cause|what(?:'s| is) causing)|root cause|which (?:[\w-]+ ){0,2}caused|what caused|(?:are|is) (?:they|it) (?:both )?interacting|is there an? (?:data )?(?:race|deadlock|leak|bug|bottleneck)|neither (?:alone|one|of them) explains?|(?:doesn'?t|does not|don'?t|do not) (?:fully |entirely )?explain)\b/i;
/**
 * Advice on a matter with stakes for the asker ("how should we split Dad's estate", "what's our realistic exposure",
 * "check whether any of them clash"): expert judgement however plain the question.
 */
const ADVICE_Q =
  /\b(?:how should (?:we|i)|what should (?:we|i) (?:do|cut|change|ask|prioriti[sz]e|prepare|expect|offer|choose|pick|keep|drop|stop|tell|watch|worry|focus|sort|fix|invest|sell|buy|sue|settle|accept|negotiate)\b|what should (?:we|i)(?=\s*[?,.])|what(?:'?s| is) the best way to|can (?:we|i) (?:afford|retire|survive)|is it (?:safe|wise|smart|realistic) (?:for (?:us|me) )?to|help me (?:negotiate|decide|figure out|work out|respond to|deal with|handle)|what (?:do|would|must) (?:we|i) (?:need|have) to|how (?:do|can|would) (?:we|i) (?:approach|handle|split|divide|pay|structure|deal with|respond|protect|decide|fix|price)|what(?:'s| is| are) (?:our|my) (?:realistic |real |actual |likely )?(?:exposure|risks?|options|chances|liabilit(?:y|ies))|what are the risks|is (?:this|it|that) (?:[\w-]+ ){0,4}(?:enforceable|legal|lawful|allowed|worth it)|check (?:whether|if) (?:any|all|it|they|this|these)|(?:could|might|can) go wrong|in what order|what (?:we|i) should (?:do|push back on|ask|change|negotiate|accept|offer)\b|push back on|(?:unfavou?rable|one-sided|bad|unfair|risky) (?:to|for|against) (?:us|me|the (?:founders?|tenants?|employees?|buyers?|sellers?|borrowers?))|counter-?(?:language|offer|proposal|terms)|(?:pay|accept|comply)(?: now| it)? or (?:fight|appeal|dispute|challenge|contest)|(?:should|can) (?:we|i) (?:appeal|dispute|contest|challenge|fight)|how (?:do|can|should|would) (?:we|i) (?:run|conduct|carry out)\b[^?.!]{0,60}\b(?:fairly|legally|lawfully|properly))\b/i;
/**
 * A recommendation the asker needs about their own situation: "tell me where we lose good candidates and what to
 * change", "which makes more sense", "what our product should do next year", "which number we should report".
 */
const RECOMMEND_Q =
  /\b(?:what (?:do|should) (?:we|i) (?:fix|do|change|cut|tackle|drop) first|recommend (?:who|which|what|whether) (?:to|we|i)|what to (?:do|change|cut|prioriti[sz]e|fix|focus on|build|stop|drop|keep)\b|which (?:\w+ )?makes (?:more )?sense|(?:choos(?:e|ing)|decid(?:e|ing)|pick(?:ing)?) between|which (?:[\w-]+ ){0,2}(?:we|i) should|what (?:our|my) [\w-]+ should|where (?:we|i) (?:lose|waste|leak|overspend))/i;
/** A yes/no question that opens with "should we/I" ("Contracts attached. Should we agree?"); not "what should I name…". */
const SHOULD_Q = /(?:^|[.?!:;]\s*)should (?:we|i)\b[^?.!]{0,60}\?/i;
/** The asker's own situation or given material: what the advice is about. */
const OWN = /\b(?:we|we're|our|us|my|i|i'm|i've|this|these)\b/i;
/** Material referred to as attached or pasted (its size unknown), as opposed to a bounded inline quote. */
const EVIDENCE = /\b(?:attached|attaching|enclosed|below|pasted|i'?ll paste|here(?:'?s| is| are))\b/i;
/** The task says its work is mechanical: nothing to add, judge or change. */
const MECHANICAL =
  /\b(?:just|only) (?:move|copy|reformat|reorder|convert|paste|put|sort|rename|the labels)\b|\b(?:don'?t|do not) (?:add|judge|rewrite|explain|drop|alter|edit|change (?:the |any )?(?:content|meaning|wording|text))\b|\bkeep (?:the |all )?(?:original|existing|same) (?:wording|text|order|content|structure)\b|\bin the same order\b|\bverbatim\b|\btable of contents\b|\b(?:spelling|grammar) only\b/i;
/** A lead verb that reformats the material into a table, list or data format ("Reformat the attached … as a table"). */
const REFORMAT_AS =
  /^(?:please |can you |could you )?(?:reformat|convert|turn|lay out|put|format)\b[^.?!]{0,90}\b(?:as|into|to) (?:an? )?(?:markdown |html |csv |json |yaml |plain |bulleted |numbered )?(?:table|csv|json|yaml|list|bullets?|bullet points|markdown)\b/i;
/** A count of countries or states: advice that must hold in several legal systems. */
const MANY_JURISDICTIONS =
  /\b(?:in|across|between|throughout|spanning|over|from) (?:\d+|two|three|four|five|six|several|multiple|many|different) (?:countries|states|jurisdictions|legal systems)\b/i;
const PROBLEM_CUES =
  /\b(?:fails?|failing|why|what(?:'s| is) (?:going on|wrong|causing)|figure out|find (?:out|the cause)|root cause|(?:is|are|keeps?) (?:failing|broken|crashing|slow)|loses?|losing|drops?|charged twice|duplicat\w+|logs? (?:people|users|me) out|out of sync|mismatch\w*|doesn'?t add up|look(?:s)? (?:fine|good|bad))\b/i;
/**
 * A decision or estimate that weighs several factors ("should we…", "decide which…", "how should four
 * cofounders split…", "estimate how many…" with three or more things to weigh).
 */
const DECISION_CUES =
  /\b(?:(?:set|decide|work out|determine|choose) (?:our |the |new )?(?:prices|pricing)|weigh(?:ing)? (?:up )?(?:the )?\w+(?=,)|should (?:we|i|they|our)|whether (?:we|i|to|it)|decide (?:which|whether|what|how)|which (?:one|of (?:our|these|the)|\w+ (?:should|to))|how (?:should|do we decide|much should)|is it worth|estimate how (?:many|much)|work out (?:whether|how much|how many|if)|what would it cost|(?:pick|choose) between|(?:compare|weigh) (?:the )?(?:offers|options)|(?:build|write|roll|host|run|make) (?:our|my|its|their) own\b[^?.!]{0,40}\bor (?:use|buy|pay for|outsource|go with|license))\b/i;
/**
 * An estimate to model from several inputs ("model how many agents we need … given last winter's volumes"), or a
 * fair division under several conditions ("a fair way to split rent among 5 flatmates with …").
 */
const ESTIMATE_CUES =
  /\b(?:(?:estimate|model|forecast|project|predict|work out|calculate|figure out) how (?:many|much)|(?:a )?fair(?:est)? way to (?:split|divide|share|allocate|pay)|how (?:to|do we|should we) (?:split|divide|share|allocate) (?:the )?(?:rent|costs?|equity|shares|bonus\w*|profits?|estate|inheritance|work|chores))\b/i;
/** Jurisdictions: advice that must hold in more than one legal system is high-stakes expert work. */
const JURISDICTIONS =
  /\b(?:eu|uk|us|usa|germany|france|spain|italy|netherlands|california|new york|texas|canada|australia|india|japan|china|brazil|ireland|switzerland|singapore|delaware|england|scotland)\b/gi;

/**
 * Causal inference the question needs: a paradox between the whole and its parts ("wins overall but loses in every
 * segment"), a second change that happened at the same time (a confounder) with a question about the cause, or
 * measuring an effect without a randomised comparison.
 */
const INFERENCE_CUES =
  /\b(?:overall,? (?:but|yet)\b[^.?!]{0,60}\b(?:every|each|all) (?:\w+ )?(?:segments?|countr\w+|cohorts?|groups?|regions?|types?|markets?|stores?|categories)|(?:can'?t|cannot|can not) (?:randomi[sz]e|(?:do|run|use) an? (?:a\/b|split|randomi[sz]ed|controlled|proper) ?(?:tests?|experiments?|trials?)?)|without (?:randomi[sz]\w*|a control group)|confound\w*|(?:correlat\w+|lines? up|coincid\w+|tracks?) (?:\w+ )?with\b[^.?!]{0,80}\bbut (?:not|neither|never|doesn'?t|don'?t|only)\b|neither (?:alone|one|of them) explains?|simpson'?s paradox (?:in|here|with) (?:our|my))/i;
const SAME_TIME =
  /\b(?:(?:the |that )?same (?:week|day|month|time|night|quarter)|that (?:day|week|month|night)|at the same time|coincided)\b/i;
const CAUSE_OR_MEASURE_Q =
  /\b(?:how (?:do|can|should|would) (?:we|i) (?:tell|know|measure|prove|isolate|separate|disentangle|attribute)|which (?:one )?(?:caused|is causing|drove)|(?:was|is) it (?:the|our|a)\b|(?:estimate|measure) the (?:effect|impact)|which (?:one|version|variant|\w+) (?:do|should) (?:we|i) (?:ship|keep|pick|choose|launch|roll out)|what(?:'?s| is) (?:really )?going on|why)\b/i;
/** Scheduling under constraints with an objective: a timetable, rota or roster with clashes to avoid and something to minimise. */
const SCHEDULE = /\b(?:timetables?|rotas?|rosters?|schedules?|seating plans?|shift patterns?)\b/i;
const SCHEDULE_GOAL =
  /\b(?:no (?:clashes|clash|overlaps?|conflicts?|double[- ]bookings?)|nobody (?:on|works?|does)|as (?:few|many|little|much|even(?:ly)?|short) [\w-]+(?: [\w-]+)?(?: each)? as possible|minimi[sz]\w+|maximi[sz]\w+|fewest|evenly)\b/i;

/** Counted people or things to schedule: two counts, one of them ten or more ("30 teachers, 18 classes"). */
function manyToSchedule(instr: string): boolean {
  const counts = instr.match(/\b\d+(?= [a-z-]+)/gi) ?? [];
  return counts.length >= 2 && counts.some((n) => Number(n) >= 10);
}

/** How many pieces of material the sentences that mention attached or pasted material list (1-4), 0 when none. */
function evidenceSources(instr: string): number {
  if (!EVIDENCE.test(instr)) return 0;
  let most = 0;
  for (const sentence of instr.split(/[.?!;\n]+/)) {
    if (!EVIDENCE.test(sentence)) continue;
    most = Math.max(most, 1 + (sentence.match(/,|\band\b|\bplus\b|\balong with\b/gi) ?? []).length);
  }
  return Math.min(4, Math.max(1, most));
}

function demandsOf(instr: string, taskType: TaskType, quoted: string): Demands {
  const heavy = producedDeliverables(instr);
  const light = distinct(DELIVERABLE_LIGHT, instr, 2);
  const review = REVIEW_LEAD.test(instr.trimStart()) ? 1 : 0;
  const scope = distinct(SCOPE_CUES, instr, 3);
  const audience = distinct(AUDIENCE_CUES, instr, 2);
  const stakes = distinct(STAKES_CUES, instr, 3);
  const rigour = distinct(RIGOUR_CUES, instr, 2);
  const inline = INLINE_MATERIAL.test(quoted) ? 1 : 0;
  // Multi-part: the items of a "covering A, B and C" clause.
  const cover = /\b(?:covering|including|addressing|with sections (?:for|on)|broken down by|for each of)\b([^.;:]*)/i.exec(instr);
  const parts = cover ? (cover[1].match(/,|\band\b/g) ?? []).length + 1 : 0;
  const deliverable = heavy > 0 ? 2 : light > 0 ? 1 : 0;
  const conditions = distinct(CONDITION_CUES, instr, 4);
  const sources = evidenceSources(instr);
  const causal = CAUSAL_Q.test(instr);
  // A diagnosis: several conditions of a symptom, or a question about the cause of a conditional symptom that is
  // a problem ("charged twice", "keeps failing") or comes with attached evidence (logs, data, code).
  const diagnosis =
    (conditions >= 2 && (PROBLEM_CUES.test(instr) || causal)) ||
    conditions >= 3 ||
    (conditions >= 1 && causal && (sources > 0 || HARM_CUES.test(instr)))
      ? 1
      : 0;
  const factors = (instr.match(/,|;|\band\b|\bor\b/g) ?? []).length;
  // The pieces of attached material are factors too.
  const decision =
    (DECISION_CUES.test(instr) && factors + Math.max(0, sources - 1) >= 3) || (ESTIMATE_CUES.test(instr) && (sources > 0 || factors >= 2))
      ? 1
      : 0;
  const jurisdictions = MANY_JURISDICTIONS.test(instr) ? 2 : distinct(JURISDICTIONS, instr, 3);
  // (the question pattern, the dearest test, last)
  const advice = (stakes > 0 || sources > 0) && OWN.test(instr) && (SHOULD_Q.test(instr) || ADVICE_Q.test(instr)) ? 1 : 0;
  // A recommendation about the asker's own organisation or life, with something at stake, material, an audience or breadth.
  const recommend =
    (stakes > 0 || sources > 0 || audience > 0 || scope >= 2) && /\b(?:we|we're|our|us|my|i)\b/i.test(instr) && RECOMMEND_Q.test(instr)
      ? 1
      : 0;
  // Reformatting into a table, list or data format is mechanical whatever the material is called.
  const mechanical = MECHANICAL.test(instr) || REFORMAT_AS.test(instr.trimStart()) ? 1 : 0;
  const inference =
    (INFERENCE_CUES.test(instr) && (OWN.test(instr) || sources > 0)) ||
    (SAME_TIME.test(instr) && conditions >= 1 && CAUSE_OR_MEASURE_Q.test(instr)) ||
    (!TRANSFORM_TYPES.has(taskType) && SCHEDULE.test(instr) && SCHEDULE_GOAL.test(instr) && manyToSchedule(instr))
      ? 1
      : 0;
  // A transformation of given material (summarise, translate, classify ...) asks for no deliverable of its own,
  // unless the task opens by asking for a review.
  const produces = review === 1 || !TRANSFORM_TYPES.has(taskType);
  let score = 0;
  if (produces) {
    score += deliverable === 2 ? 0.33 : deliverable === 1 ? 0.08 : 0;
    score += review * 0.2;
  }
  score += 0.12 * scope + 0.07 * audience + 0.05 * stakes + 0.07 * rigour + (parts >= 3 ? 0.06 : 0);
  // Reasoning the task demands even when nothing is to be "delivered": a diagnosis or a many-factor decision.
  const judged = Math.max(diagnosis, decision, advice, recommend, inference);
  const reasoningDemand =
    0.45 * judged + 0.08 * (diagnosis + decision + advice + recommend + inference - judged) + (jurisdictions >= 2 ? 0.3 : 0);
  // Judgement over several attached pieces of material (not a transformation of them).
  const evidence = produces && !mechanical && sources >= 2 ? 0.05 * sources : 0;
  // Breadth, audience and rigour without anything to deliver are weak evidence.
  if (!(produces && (deliverable > 0 || review))) score *= 0.4;
  score += reasoningDemand + evidence;
  // Given, bounded material: the work is as big as what is pasted, whatever words surround it.
  if (inline) score *= 0.3;
  // An explicitly small deliverable ("a short plan", "in two sentences").
  if (BREVITY.test(instr)) score *= 0.5;
  return {
    deliverable,
    review,
    scope,
    audience,
    stakes,
    rigour,
    inline,
    parts,
    diagnosis,
    decision,
    advice,
    recommend,
    evidence: sources,
    mechanical,
    jurisdictions,
    inference,
    score: Math.min(0.5, score),
  };
}

function count(re: RegExp, s: string, max = Infinity): number {
  re.lastIndex = 0;
  let n = 0;
  while (n < max && re.exec(s)) n++;
  return n;
}

/** The text without its quotations ("…", “…”, '…' opened after a space or colon; apostrophes stay). */
function unquoted(s: string): string {
  if (!/["“'‘]/.test(s)) return s;
  return s.replace(
    /"[^"\n]{2,}?"|“[^”\n]{2,}?”|‘[^’\n]{2,}?’|(^|[\s:(])'[^'\n]{2,}?'(?=[\s.,;:!?)]|$)/g,
    (m, pre) => (typeof pre === 'string' ? pre : '') + '""',
  );
}

/** The instruction part of a prompt: up to the first blank line / pasted block, at most 700 characters. */
function instructionOf(text: string): string {
  const t = text.trimStart();
  // (a separator that starts at 700 or later cuts no more than the cap does: only the head is searched)
  const head = t.length > 704 ? t.slice(0, 704) : t;
  let cut = t.length;
  for (const sep of ['\n\n', '\n```', ':\n', '\n']) {
    const i = head.indexOf(sep);
    // "Convert this YAML to JSON:\n<material>": a colon before a line break ends even a short instruction
    if ((i > 40 || (sep === ':\n' && i > 8)) && i < cut) cut = i;
  }
  return t.slice(0, Math.min(cut, 700));
}

/** What the scorer reads from the instruction alone (instructionOf's part of the text). */
interface InstructionFeatures {
  /** The instruction without its quotations (what the features and the learned model read). */
  instr: string;
  taskType: TaskType;
  reasoning: number;
  domain: number;
  constraints: number;
  steps: number;
  clauses: number;
  instrWords: number;
  demands: Demands;
}

/** The instruction's features and what is read from the whole text (its size and code). */
interface BaseFeatures extends InstructionFeatures {
  textTokens: number;
  codeTokens: number;
  hasCode: number;
}

function instructionFeatures(quoted: string): InstructionFeatures {
  // Quoted material inside the instruction is material, not the request: "Classify these: "app crashes on start"".
  const instr = unquoted(quoted);
  let taskType: TaskType = 'generate';
  for (const [t, re] of TASK_PATTERNS) {
    if (re.test(instr)) {
      taskType = t;
      break;
    }
  }
  const reasoning = distinct(REASONING_CUES, instr);
  const domain = distinct(DOMAIN_CUES, instr);
  const constraints = count(CONSTRAINT_CUES, instr) + Math.min(3, count(QUANTITY_RE, instr));
  const enumerated = count(/^\s*(?:\d+[.)]|[-*•])\s+\S/gm, instr);
  const clauses = (instr.match(/,|;|\band\b/g) ?? []).length;
  const steps = count(STEP_CUES, instr) + enumerated;
  // Runs of non-space characters (what split(/\s+/) then dropping empty strings counts), without an array of the
  // words: the separators are mostly one-character strings, which are not allocated.
  const trimmed = instr.trim();
  const instrWords = trimmed ? (trimmed.match(/\s+/g)?.length ?? 0) + 1 : 0;
  const demands = demandsOf(instr, taskType, quoted);
  return { instr, taskType, reasoning, domain, constraints, steps, clauses, instrWords, demands };
}

// One-entry memos. The router assesses the task, then the default featurizer assesses the task's redacted text: the
// same string when nothing was found, and otherwise most often the same instruction (the findings lie in the
// material after it), whose features are then not read again.
let memoText: string | null = null;
let memo: BaseFeatures | null = null;
let memoQuoted: string | null = null;
let memoInstruction: InstructionFeatures | null = null;

function baseFeatures(text: string): BaseFeatures {
  if (text === memoText && memo) return memo;
  const quoted = instructionOf(text);
  if (quoted !== memoQuoted || !memoInstruction) {
    memoInstruction = instructionFeatures(quoted);
    memoQuoted = quoted;
  }
  const codeTokens = count(CODE_TOKEN_RE, text, 50);
  // code: four code tokens, or else one line that looks like code (the first one found is enough)
  const hasCode = codeTokens >= 4 || count(CODE_FENCE_RE, text, 1) > 0 ? 1 : 0;
  memo = { ...memoInstruction, textTokens: estimateTokens(text), codeTokens, hasCode };
  memoText = text;
  return memo;
}

/** The instruction part of a task without its quotations, as the scorer reads it. */
export function complexityInstruction(text: string): string {
  return baseFeatures(text).instr;
}

/** The hand-set lexical scorer alone (what the learned model reads as one of its features). */
export function assessLexical(text: string, opts: ComplexityOptions = {}): ComplexityAssessment {
  if (typeof text !== 'string') throw new Error('assessComplexity expects the task text as a string');
  const { taskType, reasoning, domain, constraints, steps, clauses, instrWords, textTokens, codeTokens, hasCode, demands } =
    baseFeatures(text);
  const tokens = textTokens + (opts.contextTokens ?? 0);
  const messages = opts.messages ?? 0;

  const features: Record<string, number> = {
    typeWeight: TYPE_WEIGHT[taskType],
    reasoning,
    domain,
    constraints,
    steps,
    clauses,
    instrWords,
    tokens,
    hasCode,
    codeTokens,
    messages,
    demand: demands.score,
    deliverable: demands.deliverable,
    review: demands.review,
    scope: demands.scope,
    audience: demands.audience,
    stakes: demands.stakes,
    rigour: demands.rigour,
    inlineMaterial: demands.inline,
    parts: demands.parts,
    diagnosis: demands.diagnosis,
    decision: demands.decision,
    advice: demands.advice,
    recommend: demands.recommend,
    evidence: demands.evidence,
    mechanical: demands.mechanical,
    jurisdictions: demands.jurisdictions,
    inference: demands.inference,
    // The lexical score and the learned model's (set below and by assessComplexity; 0 here), declared with the rest:
    // adding properties to this object later costs more than the model itself.
    lexical: 0,
    learned: 0,
  };

  // Linear score in [0, 1]. Each term is capped so no single signal (least of all length) decides alone.
  const reasons: string[] = [];
  let score = TYPE_WEIGHT[taskType];
  reasons.push(`task type: ${taskType}`);
  const add = (v: number, why: string) => {
    if (v > 0.005) {
      score += v;
      reasons.push(why);
    }
  };
  add(Math.min(0.2, reasoning * 0.06), `${reasoning} reasoning cue(s)`);
  add(Math.min(0.24, domain * 0.06), `${domain} specialist-domain term(s)`);
  add(Math.min(0.15, constraints * 0.04), `${constraints} constraint(s)`);
  add(Math.min(0.12, steps * 0.03), `${steps} step cue(s)`);
  add(Math.min(0.1, Math.max(0, clauses - 3) * 0.015), `${clauses} clauses in the instruction`);
  add(Math.min(0.1, Math.max(0, instrWords - 25) * 0.002), `${instrWords}-word instruction`);
  // Context: long pasted material makes a task bigger, not harder; it only adds a little unless it is huge.
  add(tokens > 6000 ? 0.15 : tokens > 2000 ? 0.05 : 0, `${tokens} tokens of context`);
  add(messages > 10 ? 0.05 : 0, `${messages} messages of conversation`);
  add(hasCode && TYPE_WEIGHT[taskType] >= 0.4 ? 0.05 : 0, 'code in a non-trivial task');
  if (demands.score > 0.005) {
    const what = [
      demands.review ? 'a review' : '',
      demands.deliverable === 2 ? 'a judgement-heavy deliverable' : demands.deliverable === 1 ? 'a written deliverable' : '',
      demands.scope ? `scope ×${demands.scope}` : '',
      demands.audience ? `audience ×${demands.audience}` : '',
      demands.stakes ? `stakes ×${demands.stakes}` : '',
      demands.rigour ? `rigour ×${demands.rigour}` : '',
      demands.parts >= 3 ? `${demands.parts} parts` : '',
      demands.diagnosis ? 'a diagnosis of conditional symptoms' : '',
      demands.decision ? 'a decision weighing several factors' : '',
      demands.advice ? 'advice on a matter with stakes' : '',
      demands.recommend ? 'a recommendation about their own situation' : '',
      demands.inference ? 'causal inference or constrained scheduling' : '',
      demands.evidence >= 2 ? `judgement over ${demands.evidence} pieces of attached material` : '',
      demands.mechanical ? 'mechanical work (halved)' : '',
      demands.jurisdictions >= 2 ? `${demands.jurisdictions} jurisdictions` : '',
    ].filter(Boolean);
    add(demands.score, `demands: ${what.join(', ')}${demands.inline ? ' (on given material)' : ''}`);
  }
  // Work the task itself declares mechanical ("just move the text under these headings, don't add anything") is as
  // hard as a reformatting, whatever the material is about.
  if (demands.mechanical) {
    score *= 0.5;
    reasons.push('declared mechanical: halved');
  }
  score = Math.max(0, Math.min(1, score));
  const level: ComplexityLevel = score >= 0.55 ? 'high' : score >= 0.3 ? 'medium' : 'low';
  features.lexical = Math.round(score * 1000) / 1000;
  return { score: features.lexical, level, taskType, features, reasons };
}

/** The score at and above which a task is considered cloud-worthy by the static rule (calibrated on the tune split). */
export const CLOUD_THRESHOLD = 0.45;

// The hashed part of the learned model's logit (it reads only the instruction), memoised with the instruction.
let memoHashedInstr: string | null = null;
let memoHashed = 0;

/**
 * The complexity of a task: the hand-set lexical score, raised to the learned model's when the model reads the task
 * as harder (src/engine/router/complexity-model.ts; weights in data/router/complexity-model.json). The model's cut
 * sits on CLOUD_THRESHOLD, so the capability tiers' threshold shifts apply to both halves alike. The level follows
 * the combined score.
 */
export function assessComplexity(text: string, opts: ComplexityOptions = {}): ComplexityAssessment {
  const a = assessLexical(text, opts);
  const model = complexityModel();
  const instr = baseFeatures(text).instr;
  if (memoHashedInstr !== instr) {
    memoHashed = hashedLogit(model, instr) + charLogit(model, instr);
    memoHashedInstr = instr;
  }
  const lexical = a.score;
  const logit = denseLogit(model, a.features, a.taskType, lexical) + memoHashed;
  const learned = Math.round(modelScore(model, logit, CLOUD_THRESHOLD) * 1000) / 1000;
  a.features.learned = learned;
  if (learned > lexical) {
    a.score = learned;
    a.level = learned >= 0.55 ? 'high' : learned >= 0.3 ? 'medium' : 'low';
    a.reasons.push(`learned model reads it as harder: ${learned} (lexical ${lexical})`);
  }
  return a;
}
