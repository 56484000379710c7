/**
 * Real-shaped Graph callRecords (v1.0, `$expand=sessions($expand=segments)`), written out as the API
 * returns them, for the schema and flatten tests. Plain JSON values: tests clone and break them.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const T_PARTICIPANT = '#microsoft.graph.callRecords.participantEndpoint';
export const T_SERVICE = '#microsoft.graph.callRecords.serviceEndpoint';
export const T_CLIENT_UA = '#microsoft.graph.callRecords.clientUserAgent';
export const T_SERVICE_UA = '#microsoft.graph.callRecords.serviceUserAgent';

export const TENANT = 'dc368399-474c-4d40-900c-6265431fd81f';

export function clone<T extends Json>(value: T): T {
  return structuredClone(value);
}

export function clientUserAgent(platform: string, productFamily: string): JsonObject {
  return {
    '@odata.type': T_CLIENT_UA,
    headerValue: `RTCC/7.0.0.0 UCWA/7.0.0.0 ${platform}/1.0`,
    applicationVersion: '1415/24020205509',
    platform,
    productFamily,
    azureADAppId: null,
    communicationServiceId: null,
  };
}

/** A participant endpoint of the current era (associatedIdentity). */
export function participantV2(id: string, upn: string, platform = 'windows', extra: JsonObject = {}): JsonObject {
  return {
    '@odata.type': T_PARTICIPANT,
    name: `machine-${id.slice(0, 4)}`,
    cpuName: 'Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz',
    cpuCoresCount: 8,
    cpuProcessorSpeedInMhz: 2112,
    userAgent: clientUserAgent(platform, 'teams'),
    associatedIdentity: { id, displayName: upn.split('@')[0]!, tenantId: TENANT, userPrincipalName: upn },
    feedback: null,
    ...extra,
  };
}

/** A participant endpoint of the deprecated era (identity identitySet). */
export function participantV1(id: string, name: string, platform = 'android'): JsonObject {
  return {
    '@odata.type': T_PARTICIPANT,
    name: 'machineName_1',
    userAgent: clientUserAgent(platform, 'skypeForBusiness'),
    identity: { user: { id, displayName: name, tenantId: TENANT } },
  };
}

export function serviceEndpoint(role: string): JsonObject {
  return {
    '@odata.type': T_SERVICE,
    userAgent: { '@odata.type': T_SERVICE_UA, headerValue: 'Microsoft.PSTNHub.SIPProxy v.2024.2.1.2', applicationVersion: null, role },
  };
}

export function network(ip: string, connectionType: string, extra: JsonObject = {}): JsonObject {
  return {
    ipAddress: ip,
    subnet: `${ip.split('.').slice(0, 3).join('.')}.0`,
    linkSpeed: 4294967295,
    connectionType,
    port: 50011,
    reflexiveIPAddress: '203.0.113.7',
    relayIPAddress: '52.114.188.102',
    relayPort: 53889,
    macAddress: '00-15-5D-00-00-01',
    dnsSuffix: null,
    wifiBand: connectionType === 'wifi' ? 'frequency50GHz' : 'unknown',
    wifiRadioType: connectionType === 'wifi' ? 'wifi80211ac' : 'unknown',
    wifiSignalStrength: connectionType === 'wifi' ? 82 : null,
    sentQualityEventRatio: 0,
    receivedQualityEventRatio: 0.27,
    delayEventRatio: 0,
    bandwidthLowEventRatio: 0,
    traceRouteHops: [],
    ...extra,
  };
}

export function device(capture: string, render: string): JsonObject {
  return {
    captureDeviceName: capture,
    captureDeviceDriver: 'Microsoft: 10.0.19041.1',
    renderDeviceName: render,
    renderDeviceDriver: 'Microsoft: 10.0.19041.1',
    receivedSignalLevel: -10,
    receivedNoiseLevel: -86,
    initialSignalLevelRootMeanSquare: 60.1,
    micGlitchRate: 23,
    speakerGlitchRate: 3439,
    lowSpeechToNoiseEventRatio: 0,
    lowSpeechLevelEventRatio: 0,
    deviceGlitchEventRatio: 0,
    howlingEventCount: 0,
    renderZeroVolumeEventRatio: 0,
    renderMuteEventRatio: 0,
    micGlitchRate2: null,
  };
}

export function audioStream(direction: string, extra: JsonObject = {}): JsonObject {
  return {
    streamId: direction === 'callerToCallee' ? '1504545584' : '1785122252',
    startDateTime: '2024-03-01T10:00:01.2169889Z',
    endDateTime: '2024-03-01T10:12:46.7640013Z',
    streamDirection: direction,
    audioCodec: 'satin',
    videoCodec: null,
    averageAudioDegradation: null,
    averageJitter: 'PT0.016S',
    maxJitter: 'PT0.04S',
    averagePacketLossRate: 0,
    maxPacketLossRate: 0.01,
    averageRatioOfConcealedSamples: 0.003,
    maxRatioOfConcealedSamples: 0.02,
    averageRoundTripTime: 'PT0.061S',
    maxRoundTripTime: 'PT0.111S',
    packetUtilization: 38000,
    averageBandwidthEstimate: 9965083,
    wasMediaBypassed: false,
    isAudioForwardErrorCorrectionUsed: true,
    postForwardErrorCorrectionPacketLossRate: null,
    averageVideoFrameLossPercentage: null,
    averageReceivedFrameRate: null,
    lowFrameRateRatio: null,
    averageVideoPacketLossRate: null,
    averageVideoFrameRate: null,
    lowVideoProcessingCapabilityRatio: null,
    averageAudioNetworkJitter: 'PT0.012S',
    maxAudioNetworkJitter: 'PT0.03S',
    averageFreezeDuration: null,
    rmsFreezeDuration: null,
    ...extra,
  };
}

export function videoStream(direction: string, extra: JsonObject = {}): JsonObject {
  return audioStream(direction, {
    audioCodec: null,
    videoCodec: 'h264',
    averageAudioDegradation: null,
    averageRatioOfConcealedSamples: null,
    maxRatioOfConcealedSamples: null,
    packetUtilization: 52000,
    averageVideoFrameLossPercentage: 0.4,
    averageReceivedFrameRate: 29.6,
    averageVideoFrameRate: 29.9,
    lowFrameRateRatio: 0.01,
    averageVideoPacketLossRate: 0.002,
    postForwardErrorCorrectionPacketLossRate: 0.001,
    averageFreezeDuration: 'PT0.2S',
    rmsFreezeDuration: 'PT0.35S',
    ...extra,
  });
}

export function media(label: string, streams: Json[], context: JsonObject = {}): JsonObject {
  return {
    label,
    callerNetwork: network('10.139.0.12', 'wired'),
    calleeNetwork: network('192.168.1.23', 'wifi'),
    callerDevice: device('Microphone (Jabra Evolve2 65)', 'Speakers (Jabra Evolve2 65)'),
    calleeDevice: device('Microphone Array (Realtek(R) Audio)', 'Speakers (Realtek(R) Audio)'),
    streams,
    ...context,
  };
}

export const ALICE = { id: '821809f5-0000-0000-0000-3b5136c0e777', upn: 'alice@contoso.com' };
export const BOB = { id: 'f69e2c00-0000-0000-0000-185e5f5f5d8a', upn: 'bob@contoso.com' };
export const CAROL = { id: '4a1b6a3d-0000-0000-0000-b1f0e5d2c3a4', upn: 'carol@contoso.com' };

/** Peer-to-peer audio+video call, current identity era. */
export function p2pRecord(): JsonObject {
  const caller = participantV2(ALICE.id, ALICE.upn, 'windows');
  const callee = participantV2(BOB.id, BOB.upn, 'macOS', { feedback: { rating: 'good', text: null, tokens: { NoSound: false } } });
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#communications/callRecords(sessions(segments()))/$entity',
    version: 2,
    type: 'peerToPeer',
    modalities: ['audio', 'video'],
    lastModifiedDateTime: '2024-03-01T10:30:24.582757Z',
    startDateTime: '2024-03-01T10:00:00.2169889Z',
    endDateTime: '2024-03-01T10:12:47.7640013Z',
    id: 'e523d2ed-2966-4b6b-925b-754a88034cc5',
    joinWebUrl: null,
    organizer_v2: { id: ALICE.id, identity: { user: { id: ALICE.id, displayName: 'Alice', tenantId: TENANT, userPrincipalName: ALICE.upn } } },
    participants_v2: [
      { id: ALICE.id, identity: { user: { id: ALICE.id, displayName: 'Alice', tenantId: TENANT } } },
      { id: BOB.id, identity: { user: { id: BOB.id, displayName: 'Bob', tenantId: TENANT } } },
    ],
    'sessions@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#communications/callRecords(...)/sessions(segments())',
    sessions: [
      {
        modalities: ['audio', 'video'],
        startDateTime: '2024-03-01T10:00:00.2169889Z',
        endDateTime: '2024-03-01T10:12:47.7640013Z',
        id: 'e523d2ed-2966-4b6b-925b-754a88034cc5',
        isTest: false,
        caller,
        callee,
        failureInfo: null,
        segments: [
          {
            startDateTime: '2024-03-01T10:00:00.2169889Z',
            endDateTime: '2024-03-01T10:12:47.7640013Z',
            id: 'e523d2ed-2966-4b6b-925b-754a88034cc5',
            caller,
            callee,
            failureInfo: null,
            media: [
              media('main-audio', [audioStream('callerToCallee'), audioStream('calleeToCaller', { averageJitter: 'PT0.034S' })]),
              media('main-video', [videoStream('callerToCallee'), videoStream('calleeToCaller')]),
            ],
          },
        ],
      },
    ],
  };
}

/** Group call of the deprecated identity era: organizer/participants identitySets, one session a leg to the MCU. */
export function groupRecordV1(): JsonObject {
  const mcu = serviceEndpoint('skypeForBusinessAudioVideoMcu');
  const people = [
    { user: ALICE, platform: 'android' },
    { user: BOB, platform: 'iOS' },
    { user: CAROL, platform: 'web' },
  ];
  return {
    version: 5,
    type: 'groupCall',
    modalities: ['audio', 'screenSharing'],
    lastModifiedDateTime: '2024-03-02T15:01:00Z',
    startDateTime: '2024-03-02T14:00:00Z',
    endDateTime: '2024-03-02T14:45:30.5Z',
    id: '2f9b4c3a-1d2e-4f50-8a6b-7c8d9e0f1a2b',
    joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0',
    organizer: { user: { id: ALICE.id, displayName: 'Alice', tenantId: TENANT } },
    participants: [
      { user: { id: ALICE.id, displayName: 'Alice', tenantId: TENANT } },
      { user: { id: BOB.id, displayName: 'Bob', tenantId: TENANT } },
      { user: { id: CAROL.id, displayName: 'Carol', tenantId: TENANT } },
      { user: { id: BOB.id, displayName: 'Bob', tenantId: TENANT } },
    ],
    sessions: people.map((person, index) => {
      const leg = () => ({
        startDateTime: `2024-03-02T14:0${index}:00Z`,
        endDateTime: '2024-03-02T14:45:30Z',
        caller: participantV1(person.user.id, person.user.upn, person.platform),
        callee: mcu,
      });
      const mcuMedia = { calleeNetwork: network('52.114.0.10', 'wired'), calleeDevice: null };
      return {
        ...leg(),
        modalities: ['audio'],
        id: `2f9b4c3a-0000-0000-0000-00000000000${index}`,
        segments: [
          {
            ...leg(),
            id: `2f9b4c3a-0000-0000-0001-00000000000${index}`,
            media: [media('main-audio', [audioStream('callerToCallee'), audioStream('calleeToCaller')], mcuMedia)],
          },
        ],
      };
    }),
  };
}

/**
 * PSTN call: a Teams user to a phone number through a Direct Routing gateway, the session split in
 * three segments (setup, transfer, talk), endpoints given on the session only.
 */
export function pstnRecord(): JsonObject {
  const user = participantV2(CAROL.id, CAROL.upn, 'iOS', { feedback: { rating: 'poor', text: 'echo', tokens: {} } });
  const gateway = serviceEndpoint('gateway');
  const segment = (index: number, start: string, end: string, streams: Json[]): JsonObject => ({
    startDateTime: start,
    endDateTime: end,
    id: `7d2a0c11-0000-0000-0000-00000000000${index}`,
    caller: null,
    callee: null,
    failureInfo: index === 0 ? { stage: 'callSetup', reason: 'Call setup failed: 487 Request Terminated' } : null,
    media: [media('main-audio', streams, { calleeDevice: null, calleeNetwork: network('198.51.100.20', 'wired', { subnet: null }) })],
  });
  return {
    version: 1,
    type: 'peerToPeer',
    modalities: ['audio'],
    lastModifiedDateTime: '2024-03-03T08:20:00Z',
    startDateTime: '2024-03-03T08:00:00Z',
    endDateTime: '2024-03-03T08:10:00Z',
    id: '7d2a0c11-5b6c-4d7e-8f90-a1b2c3d4e5f6',
    organizer_v2: { id: CAROL.id, identity: { user: { id: CAROL.id, displayName: 'Carol', tenantId: TENANT } } },
    participants_v2: [
      { id: CAROL.id, identity: { user: { id: CAROL.id, displayName: 'Carol', tenantId: TENANT } } },
      { id: '+14255550100', identity: { phone: { id: '+14255550100', displayName: null } } },
    ],
    sessions: [
      {
        modalities: ['audio'],
        startDateTime: '2024-03-03T08:00:00Z',
        endDateTime: '2024-03-03T08:10:00Z',
        id: '7d2a0c11-aaaa-0000-0000-000000000000',
        caller: user,
        callee: gateway,
        failureInfo: { stage: 'midcall', reason: 'Media timeout' },
        segments: [
          segment(0, '2024-03-03T08:00:00Z', '2024-03-03T08:00:05Z', []),
          segment(1, '2024-03-03T08:00:05Z', '2024-03-03T08:01:00Z', [audioStream('callerToCallee', { audioCodec: 'g711' })]),
          segment(2, '2024-03-03T08:01:00Z', '2024-03-03T08:10:00Z', [
            audioStream('callerToCallee', { audioCodec: 'pcmu', averagePacketLossRate: 0.12 }),
            audioStream('calleeToCaller', { audioCodec: 'pcmu', averageRoundTripTime: 'PT0.6S' }),
          ]),
        ],
      },
    ],
  };
}

/** A seeded Park-Miller generator: the same record on every run. */
function random(seed: number): () => number {
  let state = seed % 2147483647 || 1;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

/**
 * A large group-call record: `sessions` legs, each with audio and sometimes video/VBSS, every
 * stream's metrics varied. About 4.5 KB of minified JSON per session.
 */
export function bigRecord(sessions: number, seed = 1): JsonObject {
  const next = random(seed);
  const ms = (max: number) => `PT${(next() * max).toFixed(3)}S`;
  const vary = (direction: string, video: boolean): JsonObject => {
    const base = video ? videoStream(direction) : audioStream(direction);
    return {
      ...base,
      averageJitter: ms(0.05),
      maxJitter: ms(0.2),
      averageRoundTripTime: ms(0.6),
      maxRoundTripTime: ms(1.2),
      averagePacketLossRate: Math.round(next() * 1000) / 10000,
      packetUtilization: Math.floor(next() * 60000),
    };
  };
  const record = groupRecordV1();
  const template = (record.sessions as JsonObject[])[0]!;
  record.sessions = Array.from({ length: sessions }, (_, index) => {
    const labels = ['main-audio', ...(next() < 0.5 ? ['main-video'] : []), ...(next() < 0.2 ? ['applicationsharing-video'] : [])];
    const session = clone(template);
    session.id = `session-${index}`;
    const segment = (session.segments as JsonObject[])[0]!;
    segment.id = `segment-${index}`;
    segment.media = labels.map((label) => media(label, [vary('callerToCallee', label !== 'main-audio'), vary('calleeToCaller', label !== 'main-audio')]));
    return session;
  });
  return record;
}
