/** Each attribution rule, at its boundary, in its order. */
import { describe, expect, it } from 'vitest';
import { attributePoorStream, POOR_CAUSES, type SideFacts } from '../../src/quality/index.js';

const WIRED: SideFacts = {
  connectionType: 'wired', transport: 'udp', relayIp: null, wifiSignal: null, wifiBand: null,
  captureNotFunctioning: 0, renderNotFunctioning: 0, cpuInsufficient: 0,
  delayEvents: 0, bandwidthLowEvents: 0, sentQualityEvents: 0, receivedQualityEvents: 0, vpn: null,
};
const side = (over: Partial<SideFacts>): SideFacts => ({ ...WIRED, ...over });

describe('attributePoorStream', () => {
  it.each<[string, Partial<SideFacts>, string[], string, string]>([
    ['capture not functioning at exactly 0.005 (Call Analytics)', { captureNotFunctioning: 0.005 }, ['jitter'], 'device', 'caller_capture_not_functioning_ratio=0.005'],
    ['render not functioning', { renderNotFunctioning: 0.3 }, ['jitter'], 'device', 'caller_render_not_functioning_ratio=0.3'],
    ['cpu at 0.1', { cpuInsufficient: 0.1 }, ['jitter'], 'cpu', 'caller_cpu_insufficient_ratio=0.1'],
    ['a tunnel', { connectionType: 'tunnel' }, ['rtt'], 'vpn', 'caller_connection_type=tunnel'],
    ['a VPN subnet from the buildings file', { vpn: 1 }, ['rtt'], 'vpn', 'caller_vpn=1'],
    ['media over TCP', { transport: 'tcp' }, ['packet_loss'], 'tcp', 'caller_transport=tcp'],
    ['mobile data', { connectionType: 'mobile' }, ['packet_loss'], 'mobile', 'caller_connection_type=mobile'],
    ['Wi-Fi, with signal and band', { connectionType: 'wifi', wifiSignal: 32, wifiBand: 'frequency24GHz' }, ['jitter'], 'wifi', 'caller_connection_type=wifi;caller_wifi_signal=32;caller_wifi_band=frequency24GHz'],
    ['Wi-Fi without details', { connectionType: 'wifi' }, ['jitter'], 'wifi', 'caller_connection_type=wifi'],
    ['a relay on a long round trip', { relayIp: '52.114.1.1' }, ['rtt', 'jitter'], 'relay', 'caller_relay_ip=set'],
    ['network delay events at 0.1', { delayEvents: 0.1 }, ['jitter'], 'network', 'caller_delay_event_ratio=0.1'],
    ['several network events', { bandwidthLowEvents: 0.5, receivedQualityEvents: 0.2 }, ['jitter'], 'network', 'caller_bandwidth_low_event_ratio=0.5;caller_received_quality_event_ratio=0.2'],
  ])('%s', (_, over, reasons, cause, evidence) => {
    expect(attributePoorStream(reasons, side(over), WIRED)).toEqual({ cause, side: 'caller', evidence });
  });

  it.each<[string, Partial<SideFacts>, string[]]>([
    ['capture just under 0.005', { captureNotFunctioning: 0.0049 }, ['jitter']],
    ['cpu just under 0.1', { cpuInsufficient: 0.0999 }, ['jitter']],
    ['a relay without a round-trip reason', { relayIp: '52.114.1.1' }, ['jitter']],
    ['network events just under 0.1', { delayEvents: 0.0999, sentQualityEvents: 0.05 }, ['jitter']],
    ['nothing reported', { connectionType: null, transport: null, captureNotFunctioning: null, cpuInsufficient: null, delayEvents: null }, ['rtt']],
  ])('unknown: %s', (_, over, reasons) => {
    expect(attributePoorStream(reasons, side(over), WIRED)).toEqual({ cause: 'unknown', side: null, evidence: '' });
  });

  it('takes the first rule in order: a broken device beats Wi-Fi, Wi-Fi beats network events', () => {
    expect(attributePoorStream(['jitter'], side({ connectionType: 'wifi' }), side({ renderNotFunctioning: 0.01 }))).toEqual({ cause: 'device', side: 'callee', evidence: 'callee_render_not_functioning_ratio=0.01' });
    expect(attributePoorStream(['jitter'], side({ delayEvents: 0.9 }), side({ connectionType: 'wifi' })).cause).toBe('wifi');
  });

  it('names both sides when both show the deciding fact', () => {
    expect(attributePoorStream(['jitter'], side({ connectionType: 'wifi', wifiSignal: 40 }), side({ connectionType: 'wifi' }))).toEqual({
      cause: 'wifi',
      side: 'both',
      evidence: 'caller_connection_type=wifi;caller_wifi_signal=40;callee_connection_type=wifi',
    });
  });

  it('uses only the documented vocabulary', () => {
    expect(POOR_CAUSES).toEqual(['device', 'cpu', 'vpn', 'tcp', 'mobile', 'wifi', 'relay', 'network', 'unknown']);
  });
});
