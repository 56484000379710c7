/**
 * Graph's canonical spelling of enum-like group keys. Exports write `"Windows"`/`"Teams"` and
 * `"windows"`/`"teams"` (PowerShell and some SDK serializers capitalize enum members); a rollup must
 * group them together. The streams and calls tables keep the value as exported; only the rollup
 * keys are spelt canonically: a value is matched to the Graph enum member of the same letters
 * whatever their case (`WINDOWS` -> `windows`, `macos` -> `macOS`, `wifi` -> `wifi`). A value not in
 * the lists below (a member newer than them) is kept as exported. Media labels, which Graph writes in
 * lower case (`main-audio`), are lower-cased. Pure.
 */
import type { CellValue } from '../table/schema.js';

const UNKNOWN = ['unknown', 'unknownFutureValue'];

/** Graph v1.0 enum members (callRecords namespace), by the streams/calls column suffix that holds them. */
const MEMBERS: Readonly<Record<string, readonly string[]>> = {
  platform: [...UNKNOWN, 'windows', 'macOS', 'iOS', 'android', 'web', 'ipPhone', 'roomSystem', 'surfaceHub', 'holoLens'],
  product: [...UNKNOWN, 'teams', 'skypeForBusiness', 'lync', 'azureCommunicationServices'],
  connection_type: [...UNKNOWN, 'wired', 'wifi', 'mobile', 'tunnel'],
  wifi_band: [...UNKNOWN, 'frequency24GHz', 'frequency50GHz', 'frequency60GHz'],
  audio_codec: [
    ...UNKNOWN,
    'invalid',
    'cn',
    'pcma',
    'pcmu',
    'amrWide',
    'g722',
    'g7221',
    'g7221c',
    'g729',
    'multiChannelAudio',
    'muchv2',
    'opus',
    'satin',
    'satinFullband',
    'rtAudio8',
    'rtAudio16',
    'silk',
    'silkNarrow',
    'silkWide',
    'siren',
    'xmsRta',
  ],
  video_codec: [...UNKNOWN, 'invalid', 'av1', 'h263', 'h264', 'h264s', 'h264uc', 'h265', 'rtvc1', 'rtVideo', 'xrtvc1'],
  role: [
    ...UNKNOWN,
    'customBot',
    'skypeForBusinessMicrosoftTeamsGateway',
    'skypeForBusinessAudioVideoMcu',
    'skypeForBusinessApplicationSharingMcu',
    'skypeForBusinessCallQueues',
    'skypeForBusinessAutoAttendant',
    'mediationServer',
    'mediationServerCloudConnectorEdition',
    'exchangeUnifiedMessagingService',
    'mediaController',
    'conferencingAnnouncementService',
    'conferencingAttendant',
    'audioTeleconferencerController',
    'skypeForBusinessUnifiedCommunicationApplicationPlatform',
    'responseGroupServiceAnnouncementService',
    'gateway',
    'skypeTranslator',
    'skypeForBusinessAttendant',
    'responseGroupService',
    'voicemail',
  ],
  stream_direction: ['callerToCallee', 'calleeToCaller'],
  call_type: [...UNKNOWN, 'groupCall', 'peerToPeer'],
  feedback_rating: ['unknownFutureValue', 'notRated', 'bad', 'poor', 'fair', 'good', 'excellent'],
};

type Spell = (value: CellValue) => CellValue;

/** Raw spellings remembered per column kind: a handful in practice; bounded against hostile input. */
const MEMO_LIMIT = 1024;

/** A speller of strings through `spell`, remembering the raw values it has seen (no toLowerCase per cell). */
function memoized(spell: (text: string) => string): Spell {
  const memo = new Map<string, string>();
  return (value) => {
    if (typeof value !== 'string') return value;
    let spelt = memo.get(value);
    if (spelt === undefined) {
      spelt = spell(value);
      if (memo.size < MEMO_LIMIT) memo.set(value, spelt);
    }
    return spelt;
  };
}

function memberSpeller(members: readonly string[]): Spell {
  const byLower = new Map(members.map((member) => [member.toLowerCase(), member]));
  return memoized((text) => byLower.get(text.toLowerCase()) ?? text);
}

const lower: Spell = memoized((text) => text.toLowerCase());

const SPELLERS = new Map<string, Spell>([
  ...Object.entries(MEMBERS).map(([suffix, members]): [string, Spell] => [suffix, memberSpeller(members)]),
  ['media_label', lower],
]);

/** The speller of a streams or calls column (`caller_platform` uses `platform`'s), or null when its values are kept as they are. */
export function spellerOf(column: string): Spell | null {
  const bare = column.replace(/^(?:caller|callee)_/, '');
  return SPELLERS.get(bare) ?? null;
}

/** The column's values in canonical spelling: the same array when the column has none. */
export function canonicalColumn(column: string, values: CellValue[]): CellValue[] {
  const spell = spellerOf(column);
  return spell === null ? values : values.map(spell);
}
