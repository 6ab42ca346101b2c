// Types of the npskit widget: every option of NpsKit.init (and of the
// script tag's data-* attributes), every event with its detail, and the
// JSON it posts (npskit.response/1) and reads (npskit.summary/1).

/** What a survey asks: Net Promoter Score (0–10), CSAT (1–5) or CES (1–7). */
export type Metric = 'nps' | 'csat' | 'ces';
export type NpsScore = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;
export type CsatScore = 1 | 2 | 3 | 4 | 5;
export type CesScore = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export type Category = 'detractor' | 'passive' | 'promoter';
export type Locale =
  | 'en'
  | 'sv'
  | 'nb'
  | 'da'
  | 'fi'
  | 'de'
  | 'fr'
  | 'es'
  | 'pt'
  | 'it'
  | 'nl'
  | 'pl'
  | 'zh-CN'
  | 'ja'
  | 'ar'
  | 'he';
export type IntervalMethod = 'tango' | 'adjusted-wald' | 'wald';

/** Options of init(); each is also a data-* attribute of the script tag (kebab-case). */
export interface Options {
  /** Folder (URL path) where the site serves this package's dist/ files; default "/npskit/". Module only. */
  path?: string;
  /** URL that receives answers; without it answers only reach the 'response' event. */
  endpoint?: string;
  /** Survey key: sent with each answer; throttling is counted per key. Default "nps". */
  survey?: string;
  /** The scale of a standalone survey. Default "nps". */
  metric?: Metric;
  /** After the NPS follow-up, also ask CSAT or CES (skippable, posted as its own answer). */
  companion?: '' | 'csat' | 'ces';
  /** Name in the question ("How likely are you to recommend Acme…"). */
  product?: string;
  /** The "…" of the CES statement "{product} made it easy for me to …", in the survey's language. */
  effortTask?: string;
  mode?: 'modal' | 'slide' | 'bar' | 'inline';
  position?: 'end' | 'start';
  /** CSS selector or element the inline survey goes into. */
  target?: string | Element;
  trigger?: 'immediate' | 'delay' | 'scroll' | 'exit' | 'pageviews' | 'event' | 'manual';
  /** Seconds after load, for trigger "delay". Default 10. */
  delay?: number;
  /** Share of the page scrolled (0–100), for trigger "scroll". Default 50. */
  scrollPercent?: number;
  /** Show on this page view of the site, for trigger "pageviews". Default 3. */
  pageViews?: number;
  /** Host event name, for trigger "event" (track(name)). */
  event?: string;
  /** After an answer, the survey stays away this long. Default 90. */
  resurveyDays?: number;
  /** After a dismissal, this long. Default 14. */
  dismissCooldownDays?: number;
  /** Share of visitors asked, 0–1; the draw is kept per visitor and survey key. Default 1. */
  sampleRate?: number;
  /** After any npskit survey was shown on the site, other survey keys stay away this long. Default 30. */
  siteCooldownDays?: number;
  /** Comma-separated path patterns (`*` = anything) where the survey may show; empty = everywhere. */
  urlInclude?: string;
  /** Comma-separated path patterns where it never shows. */
  urlExclude?: string;
  /** Seconds since the visit (browser session) began before the survey may show. Default 0. */
  minSecondsOnSite?: number;
  /** Honour navigator.globalPrivacyControl (no page or user sent, queue kept in memory). Default true. */
  respectGpc?: boolean;
  /** "required": nothing is shown or stored until consent(true). */
  consent?: '' | 'required';
  /** One of the 16 built-in locales, or a tag that maps onto one; default from the page, then the browser. */
  locale?: Locale | (string & {});
  theme?: 'auto' | 'light' | 'dark';
  /** Replaces the question (or CES statement) of the survey's own metric. */
  question?: string;
  followUpDetractor?: string;
  followUpPassive?: string;
  followUpPromoter?: string;
  /** The thank-you closes itself after this long; 0 keeps it. Default 4. */
  thankYouSeconds?: number;
  /** Also post dismissals (type "dismissal"). Default false. */
  postDismissals?: boolean;
  /** Leave page and user out of every payload. Default false. */
  anonymous?: boolean;
  autoFocus?: boolean;
  /** Sent as `user` (e.g. {id: "u-42"}). */
  user?: Record<string, unknown> | null;
  /** Sent as `properties` (e.g. {plan: "pro"}). */
  properties?: Record<string, unknown> | null;
  /** Extra request headers; any but the CORS-safelisted ones cause a preflight. */
  headers?: Record<string, string> | null;
  contentType?: 'json' | 'text';
  retryBaseSeconds?: number;
  retryMaxSeconds?: number;
}

export interface ShowRequest {
  /** Show regardless of targeting, throttling and sampling (never regardless of consent). */
  force?: boolean;
}

interface PayloadBase {
  schema: 'npskit.response/1';
  /** UUID v4, the idempotency key. */
  id: string;
  survey: string;
  /** ISO 8601, UTC. */
  submitted_at: string;
  locale: string;
  /** Origin and path of the page; absent in anonymous mode and under Global Privacy Control. */
  page?: string;
  user?: Record<string, unknown>;
  properties?: Record<string, unknown>;
}

/** An NPS answer: no `metric` field, as before CSAT and CES existed. */
export interface NpsResponse extends PayloadBase {
  type: 'response';
  metric?: 'nps';
  score: NpsScore;
  category: Category;
  comment: string;
}

/** A CSAT answer: a standalone survey's (with comment) or a companion's (with answer_id). */
export interface CsatResponse extends PayloadBase {
  type: 'response';
  metric: 'csat';
  score: CsatScore;
  comment?: string;
  /** The id of the NPS answer this companion answer completes. */
  answer_id?: string;
}

/** A CES answer, like CsatResponse on the 1–7 scale. */
export interface CesResponse extends PayloadBase {
  type: 'response';
  metric: 'ces';
  score: CesScore;
  comment?: string;
  answer_id?: string;
}

export type ResponsePayload = NpsResponse | CsatResponse | CesResponse;

export interface DismissalPayload extends PayloadBase {
  type: 'dismissal';
  /** Present for CSAT and CES surveys. */
  metric?: Metric;
}

/** Everything npskit.response/1 carries. */
export type Payload = ResponsePayload | DismissalPayload;

export interface ErrorDetail {
  code: 'config' | 'usage' | 'load' | 'delivery' | 'rejected' | 'live' | 'listener' | 'internal';
  message: string;
  error?: unknown;
  /** The answer's id, for "rejected". */
  id?: string;
  /** The HTTP status, for "rejected". */
  status?: number;
}

export interface Events {
  ready: { survey: string; eligible: boolean };
  shown: { survey: string; metric: Metric; mode: NonNullable<Options['mode']>; locale: Locale };
  hidden: { survey: string };
  response: ResponsePayload;
  dismissal: DismissalPayload;
  delivered: { id: string; type: 'response' | 'dismissal'; status: number };
  error: ErrorDetail;
}
export type EventName = keyof Events;

export interface Interval {
  method: IntervalMethod;
  confidence: number;
  low: number;
  high: number;
  se: number;
}

/** A proportion's or a mean's interval, as the core writes it. */
export interface RatingInterval {
  method: 'wilson' | 't';
  confidence: number;
  low: number;
  high: number;
  se: number;
  /** Degrees of freedom of the t interval of a mean. */
  df?: number;
}

/** A rating's figures over some answers; the share and mean are absent when n = 0. */
export interface RatingFigures {
  n: number;
  /** Answers per rating from the lowest (1) up. */
  histogram: number[];
  /** Answers in the top ratings (4–5 for CSAT, 5–7 for CES). */
  top?: number;
  /** Percent of the top ratings: CSAT % (4–5) or the CES share of 5–7. */
  share?: number;
  share_interval?: RatingInterval;
  /** The mean rating: a different number from CSAT %, never called CSAT. */
  mean?: number;
  sd?: number;
  mean_interval?: RatingInterval;
}

/** A group's share and mean tested against the rest (segments) or the previous period. */
export interface RatingComparison {
  reference: 'rest' | 'previous';
  reference_key?: string;
  share?: {
    test: 'two-proportion';
    diff: number;
    se: number;
    z: number;
    p_value: number;
    significant: boolean;
  };
  mean?: {
    test: 'welch';
    diff: number;
    se: number;
    t: number;
    df: number;
    p_value: number;
    significant: boolean;
  };
}

export interface RatingGroup extends RatingFigures {
  key: string;
  versus: RatingComparison | null;
}

/** A CSAT (1–5) or CES (1–7) block of a summary, present when answers carried that rating. */
export interface RatingSummary extends RatingFigures {
  scale: { low: 1; high: 5 | 7; top_from: 4 | 5 };
  /** By segment or period: each group with the metric's answers. */
  groups?: RatingGroup[];
}

/** An NPS group: a segment, a period, or two segment columns crossed. */
export interface GroupSummary {
  key: string;
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  histogram: number[];
  nps: number | null;
  /** Several segment columns: the group's columns and values. */
  columns?: string[];
  values?: string[];
  /** A period's first day, YYYY-MM-DD. */
  start?: string;
  /** Fewer answers than the minimum group size: not tested. */
  below_minimum?: boolean;
  versus: Record<string, unknown> | null;
  [field: string]: unknown;
}

/** npskit.summary/1, as `npskit summarize --json`, /api/summary and the core's summarize() give it. */
export interface Summary {
  schema: 'npskit.summary/1';
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  histogram: number[];
  nps: number | null;
  percent: { promoters: number; passives: number; detractors: number };
  interval: Interval;
  band: string;
  rejected: number;
  groups: GroupSummary[];
  csat?: RatingSummary;
  ces?: RatingSummary;
  /**
   * Groups left out to keep small ones anonymous (foldGroupsBelow, the live
   * panel, the collector's public summary; only the collector says whether it
   * withheld the overall too).
   */
  folded?: { min_group: number; groups: number; answers: number; overall?: boolean };
  [field: string]: unknown;
}

export interface LiveOptions {
  /** "page" (answers given on this page), a URL (CSV, JSON, JSONL), or scores / {score} objects. */
  source?: 'page' | string | ReadonlyArray<number | { score: number }>;
  format?: 'csv' | 'tsv' | 'json' | 'jsonl';
  method?: IntervalMethod;
  confidence?: number;
  refreshSeconds?: number;
  locale?: Locale | (string & {});
  title?: string;
  /** Groups of a URL's answers shown as a table. */
  by?: 'segment' | 'day' | 'week' | 'month';
  /** Groups under this many answers are folded together. Default 5. */
  minGroup?: number;
}

export interface LiveHandle {
  update(source?: LiveOptions['source']): void;
  destroy(): void;
}

/** The running widget, as window.NpsKit holds it once npskit.js has loaded. */
export interface NpsKit {
  version: string;
  init(options: Options): void;
  show(request?: ShowRequest): void;
  hide(): void;
  on<Name extends EventName>(name: Name, handler: (detail: Events[Name]) => void): () => void;
  off<Name extends EventName>(name: Name, handler: (detail: Events[Name]) => void): void;
  track(name: string): void;
  live(element: string | Element, options?: LiveOptions): LiveHandle;
  consent(granted: boolean): void;
}

/** Sets options and starts the widget, loading npskit.js from `options.path` on first use. */
export function init(options: Options): void;
/** Shows the survey now, unless targeting, throttling or sampling say no ({force: true} overrides them). */
export function show(request?: ShowRequest): void;
/** Closes the survey without counting a dismissal. */
export function hide(): void;
/** Subscribes to an event; returns a function that unsubscribes. */
export function on<Name extends EventName>(
  name: Name,
  handler: (detail: Events[Name]) => void,
): () => void;
export function off<Name extends EventName>(
  name: Name,
  handler: (detail: Events[Name]) => void,
): void;
/** Tells the widget a host event happened (trigger "event"). */
export function track(name: string): void;
/** Grants (true) or withdraws (false) consent for a survey with consent "required". */
export function consent(granted: boolean): void;
/** Renders the live panel into an element or selector. */
export function live(element: string | Element, options?: LiveOptions): LiveHandle;
/** Resolves to the running widget once npskit.js has loaded; rejects outside a browser. */
export function load(): Promise<NpsKit>;
