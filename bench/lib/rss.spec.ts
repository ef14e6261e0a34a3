import { RssSampler } from './rss';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('RssSampler', () => {
  it('leaves no interval behind when two scenarios start it and one stops it (the bench must exit)', () => {
    const before = timers();
    const sampler = new RssSampler(process.pid);
    sampler.start();
    sampler.start();
    expect(timers()).toBe(before + 1);
    expect(sampler.stop()).toBeGreaterThan(0);
    expect(timers()).toBe(before);
  });
});
