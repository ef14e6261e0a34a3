import { assertTransition, canTransition, InvalidTransitionError } from './state-machine';

describe('ABDM transaction state machine', () => {
  it('allows discovery, link initiation and linking in order', () => {
    expect(canTransition(null, 'discovered')).toBe(true);
    expect(canTransition('discovered', 'link_initiated')).toBe(true);
    expect(canTransition('link_initiated', 'linked')).toBe(true);
    expect(canTransition('link_initiated', 'failed')).toBe(true);
  });

  it('refuses skipping a step or leaving a terminal state', () => {
    expect(() => assertTransition('discovered', 'linked')).toThrow(InvalidTransitionError);
    expect(() => assertTransition('linked', 'link_initiated')).toThrow(InvalidTransitionError);
    expect(() => assertTransition('failed', 'discovered')).toThrow(InvalidTransitionError);
    expect(() => assertTransition(null, 'linked')).toThrow(InvalidTransitionError);
  });
});
