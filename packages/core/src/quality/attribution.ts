/**
 * Attribution: the likely cause of a poor stream, from what its record holds about each side.
 * Pure: the flattener gathers each side's facts (SideFacts) and asks once per poor stream.
 *
 * The rules are tried in ATTRIBUTION_RULES order; the first that holds on either side decides the
 * cause, `side` says which sides showed it and `evidence` lists the facts that decided it
 * (`caller_connection_type=wifi;caller_wifi_signal=32`). None holds: `unknown`, no side.
 */

/** What one side of a stream says about its network path and its devices (null: not reported). */
export interface SideFacts {
  readonly connectionType: string | null;
  readonly transport: string | null;
  readonly relayIp: string | null;
  readonly wifiSignal: number | null;
  readonly wifiBand: string | null;
  readonly captureNotFunctioning: number | null;
  readonly renderNotFunctioning: number | null;
  readonly cpuInsufficient: number | null;
  readonly delayEvents: number | null;
  readonly bandwidthLowEvents: number | null;
  readonly sentQualityEvents: number | null;
  readonly receivedQualityEvents: number | null;
  /** From the buildings file: 1 when the side's subnet is marked VPN, else 0; null unmatched or no file. */
  readonly vpn: number | null;
}

export const POOR_CAUSES = ['device', 'cpu', 'vpn', 'tcp', 'mobile', 'wifi', 'relay', 'network', 'unknown'] as const;
export type PoorCause = (typeof POOR_CAUSES)[number];

export interface Attribution {
  readonly cause: PoorCause;
  /** caller, callee, both; null for unknown. */
  readonly side: 'caller' | 'callee' | 'both' | null;
  readonly evidence: string;
}

/** Call Analytics: a device is not functioning when its capture or render NotFunctioningEventRatio is at least this. */
export const DEVICE_NOT_FUNCTIONING_RATIO = 0.005;
/** callaudit's choice: too little CPU for at least a tenth of the stream. */
export const CPU_INSUFFICIENT_RATIO = 0.1;
/** callaudit's choice: a network event (delay, low bandwidth, poor sent/received quality) for at least a tenth of the stream. */
export const NETWORK_EVENT_RATIO = 0.1;

type Fact = [name: string, value: string | number];

interface Rule {
  readonly cause: Exclude<PoorCause, 'unknown'>;
  /** The facts of one side that make the rule hold; empty when it does not. */
  readonly facts: (side: SideFacts, reasons: readonly string[]) => Fact[];
}

const atLeast = (name: string, value: number | null, threshold: number): Fact[] => (value !== null && value >= threshold ? [[name, value]] : []);

const wifiDetail = (side: SideFacts): Fact[] => [
  ...(side.wifiSignal !== null ? ([['wifi_signal', side.wifiSignal]] as Fact[]) : []),
  ...(side.wifiBand !== null ? ([['wifi_band', side.wifiBand]] as Fact[]) : []),
];

/** The rules, in the order they are tried. */
export const ATTRIBUTION_RULES: readonly Rule[] = [
  {
    cause: 'device',
    facts: (s) => [
      ...atLeast('capture_not_functioning_ratio', s.captureNotFunctioning, DEVICE_NOT_FUNCTIONING_RATIO),
      ...atLeast('render_not_functioning_ratio', s.renderNotFunctioning, DEVICE_NOT_FUNCTIONING_RATIO),
    ],
  },
  { cause: 'cpu', facts: (s) => atLeast('cpu_insufficient_ratio', s.cpuInsufficient, CPU_INSUFFICIENT_RATIO) },
  {
    cause: 'vpn',
    facts: (s) => (s.connectionType === 'tunnel' ? [['connection_type', 'tunnel']] : s.vpn === 1 ? [['vpn', 1]] : []),
  },
  { cause: 'tcp', facts: (s) => (s.transport === 'tcp' ? [['transport', 'tcp']] : []) },
  { cause: 'mobile', facts: (s) => (s.connectionType === 'mobile' ? [['connection_type', 'mobile']] : []) },
  { cause: 'wifi', facts: (s) => (s.connectionType === 'wifi' ? [['connection_type', 'wifi'], ...wifiDetail(s)] : []) },
  { cause: 'relay', facts: (s, reasons) => (s.relayIp !== null && reasons.includes('rtt') ? [['relay_ip', 'set']] : []) },
  {
    cause: 'network',
    facts: (s) => [
      ...atLeast('delay_event_ratio', s.delayEvents, NETWORK_EVENT_RATIO),
      ...atLeast('bandwidth_low_event_ratio', s.bandwidthLowEvents, NETWORK_EVENT_RATIO),
      ...atLeast('sent_quality_event_ratio', s.sentQualityEvents, NETWORK_EVENT_RATIO),
      ...atLeast('received_quality_event_ratio', s.receivedQualityEvents, NETWORK_EVENT_RATIO),
    ],
  },
];

const UNKNOWN: Attribution = { cause: 'unknown', side: null, evidence: '' };

function describe(prefix: string, facts: readonly Fact[]): string[] {
  return facts.map(([name, value]) => `${prefix}_${name}=${value}`);
}

/** The cause of a poor stream; `reasons` are its cqd_reasons (rtt, jitter, ...). */
export function attributePoorStream(reasons: readonly string[], caller: SideFacts, callee: SideFacts): Attribution {
  for (const rule of ATTRIBUTION_RULES) {
    const a = rule.facts(caller, reasons);
    const b = rule.facts(callee, reasons);
    if (a.length === 0 && b.length === 0) continue;
    const side = a.length > 0 && b.length > 0 ? 'both' : a.length > 0 ? 'caller' : 'callee';
    return { cause: rule.cause, side, evidence: [...describe('caller', a), ...describe('callee', b)].join(';') };
  }
  return UNKNOWN;
}
