/** Names, enum values and strings the generator draws from. Invented, but shaped like real exports. */

export const GRAPH = 'https://graph.microsoft.com/v1.0';
export const RECORD_CONTEXT = `${GRAPH}/$metadata#communications/callRecords(sessions(segments()))/$entity`;
export const COLLECTION_CONTEXT = `${GRAPH}/$metadata#communications/callRecords(sessions(segments()))`;

export const TYPE_PARTICIPANT = '#microsoft.graph.callRecords.participantEndpoint';
export const TYPE_SERVICE = '#microsoft.graph.callRecords.serviceEndpoint';
export const TYPE_CLIENT_AGENT = '#microsoft.graph.callRecords.clientUserAgent';
export const TYPE_SERVICE_AGENT = '#microsoft.graph.callRecords.serviceUserAgent';

export const FIRST_NAMES = [
  'Abbie',
  'Owen',
  'Adele',
  'Alex',
  'Diego',
  'Grady',
  'Henrietta',
  'Isaiah',
  'Johanna',
  'Joni',
  'Lee',
  'Lidia',
  'Lynne',
  'Megan',
  'Miriam',
  'Nestor',
  'Patti',
  'Pradeep',
  'Amara',
  'Björn',
  'Chen',
  'Dagny',
  'Emeka',
  'Fatima',
  'Giulia',
  'Hiroshi',
  'Ingrid',
  'Jürgen',
  'Kwame',
  'Leilani',
  'Mateo',
  'Noémie',
  'Oksana',
  'Priya',
  'Quentin',
  'Rafael',
  'Saanvi',
  'Tomasz',
  'Umar',
  'Valentina',
  'Wei',
  'Ximena',
  'Yusuf',
  'Zofia',
  'Aiko',
  'Bongani',
] as const;

export const LAST_NAMES = [
  'Wilkins',
  'Franklin',
  'Vance',
  'Wilber',
  'Siciliani',
  'Archie',
  'Cartwright',
  'Henderson',
  'Lauer',
  'Sherman',
  'Gu',
  'Holloway',
  'Robbins',
  'Bowen',
  'Graham',
  'Zakharova',
  'Fernandez',
  'Gupta',
  'Okafor',
  'Lindqvist',
  'Wang',
  'Haugen',
  'Nwosu',
  'Haddad',
  'Rossi',
  'Tanaka',
  'Johansson',
  'Müller',
  'Mensah',
  'Kahale',
  'García',
  'Dubois',
  'Kovalenko',
  'Iyer',
  'Laurent',
  'Costa',
  'Reddy',
  'Nowak',
  'Farouk',
  'Moretti',
  'Zhang',
  'López',
  'Demir',
  'Wiśniewska',
  'Sato',
  'Dlamini',
] as const;

export const TENANT_DOMAIN = 'contoso.com';
export const GUEST_DOMAINS = ['fabrikam.com', 'northwindtraders.com', 'adatum.com', 'tailspintoys.com', 'gmail.com'] as const;

/** Office sites: name and second octet of their 10.x.0.0/16 range. One site has a bad network. */
export const SITES = [
  { name: 'SEA-B40', octet: 20, bad: false },
  { name: 'SEA-B41', octet: 21, bad: false },
  { name: 'LON-VIC', octet: 40, bad: false },
  { name: 'DUB-CENTRAL', octet: 44, bad: false },
  { name: 'BLR-ECOSPACE', octet: 60, bad: true },
  { name: 'SYD-BARANGAROO', octet: 72, bad: false },
  { name: 'NYC-TIMES-SQ', octet: 30, bad: false },
  { name: 'SAO-PAULISTA', octet: 80, bad: false },
] as const;

export const HOME_SUBNETS = ['192.168.1.0', '192.168.0.0', '192.168.178.0', '10.0.0.0', '172.16.1.0'] as const;

export const PLATFORM_WEIGHTS = {
  windows: 58,
  macOS: 14,
  iOS: 8,
  android: 7,
  web: 6,
  roomSystem: 3,
  ipPhone: 2,
  surfaceHub: 0.6,
  unknown: 0.8,
  holoLens: 0.1,
} as const;
export type Platform = keyof typeof PLATFORM_WEIGHTS;

export const PRODUCT_WEIGHTS = { teams: 92, skypeForBusiness: 4, lync: 0.7, azureCommunicationServices: 2.3, unknown: 1 } as const;

export const CPU_NAMES = [
  'Intel(R) Core(TM) i7-1185G7 @ 3.00GHz',
  'Intel(R) Core(TM) i5-10310U CPU @ 1.70GHz',
  '13th Gen Intel(R) Core(TM) i7-1365U',
  'AMD Ryzen 7 PRO 5850U with Radeon Graphics',
  'Apple M1',
  'Apple M2 Pro',
  'Intel(R) Core(TM) i5-8365U CPU @ 1.60GHz',
] as const;

export const CAPTURE_DEVICES = [
  'Microphone Array (Realtek(R) Audio)',
  'Headset Microphone (Jabra Evolve2 65)',
  'Microphone (Poly Blackwire 5220 Series)',
  'Echo Cancelling Speakerphone (Jabra SPEAK 510 USB)',
  'MacBook Pro Microphone',
  'Microphone (Surface Headphones 2)',
  'Headset (AirPods Pro)',
  'Microphone (Logitech Zone Wired)',
  'Default input device',
] as const;

export const RENDER_DEVICES = [
  'Speakers (Realtek(R) Audio)',
  'Headphones (Jabra Evolve2 65)',
  'Speaker (Poly Blackwire 5220 Series)',
  'Echo Cancelling Speakerphone (Jabra SPEAK 510 USB)',
  'MacBook Pro Speakers',
  'Headphones (Surface Headphones 2)',
  'Headphones (AirPods Pro)',
  'Headphones (Logitech Zone Wired)',
  'Default output device',
] as const;

export const AUDIO_DRIVERS = ['Realtek: 6.0.9235.1', 'Microsoft: 10.0.22621.1', 'Jabra: 2.3.0.2', 'Apple: 1.0', 'Poly: 3.8.1'] as const;

export const WIFI_DRIVERS = [
  { vendor: 'Intel(R) Wi-Fi 6E AX211 160MHz', version: 'Intel:22.200.0.6' },
  { vendor: 'Intel(R) Wi-Fi 6 AX201 160MHz', version: 'Intel:22.160.0.4' },
  { vendor: 'Qualcomm Atheros QCA61x4A Wireless Network Adapter', version: 'Qualcomm:12.0.0.1118' },
  { vendor: 'Realtek RTL8852BE WiFi 6 802.11ax PCIe Adapter', version: 'Realtek:6001.15.150.0' },
] as const;

export const DNS_SUFFIXES = ['corp.contoso.com', 'contoso.local', 'home', 'lan', 'fritz.box'] as const;

export const AUDIO_CODECS_CLIENT = { satin: 30, opus: 45, silk: 8, silkWide: 4, g722: 5, satinFullband: 3, rtAudio16: 1 } as const;
export const AUDIO_CODECS_PSTN = { pcmu: 40, pcma: 22, g729: 8, g722: 10, opus: 10, silkNarrow: 3, amrWide: 2 } as const;
export const VIDEO_CODECS = { h264: 40, h264uc: 20, av1: 15, h264s: 10, rtVideo: 5, h265: 4, xrtvc1: 2, rtvc1: 1 } as const;

/** Values newer than the documented enums, or the sentinel: never to be rejected by a reader. */
export const NOVEL_PLATFORMS = ['unknownFutureValue', 'linux', 'visionOS'] as const;
export const NOVEL_CONNECTION_TYPES = ['unknownFutureValue', 'satellite'] as const;
export const NOVEL_AUDIO_CODECS = ['unknownFutureValue', 'lyra', 'satinV2'] as const;
export const NOVEL_VIDEO_CODECS = ['unknownFutureValue', 'vp9'] as const;
export const NOVEL_RATINGS = ['unknownFutureValue'] as const;

export const SETUP_FAILURES = [
  'Call failed to establish due to a media connectivity failure when both endpoints are remote',
  'Call failed to establish due to a media connectivity failure when one endpoint is internal and the other is remote',
  'The callee did not answer before the call timed out',
  'The call was declined by the callee',
  'Unexpected client error. Please retry the call',
] as const;

export const MIDCALL_FAILURES = [
  'Call ended unexpectedly due to a media connectivity failure',
  'The client lost network connectivity during the call',
  'Call dropped due to a signaling failure between the client and the service',
  'The gateway ended the call unexpectedly',
] as const;

export const FEEDBACK_TEXTS = [
  'Could not hear the other side for a minute',
  'Echo the whole call',
  'Video kept freezing',
  'Robotic voice',
  'Shared screen was blurry',
] as const;

export const FEEDBACK_TOKENS = [
  'DistortedSpeech',
  'ElectronicFeedback',
  'BackgroundNoise',
  'MuffledSpeech',
  'Echo',
  'FrozenVideo',
  'PixelatedVideo',
  'AudioDropout',
  'NoVideo',
] as const;

export const PSTN_GATEWAYS = ['sbc1.contoso.com', 'sbc2.contoso.com', 'sbc-emea.contoso.com'] as const;
