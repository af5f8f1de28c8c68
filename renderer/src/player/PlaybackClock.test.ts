import { describe, expect, it } from 'vitest';
import { PlaybackClock } from './PlaybackClock.js';

function clockAt(time: number, speed = 1) {
  const wall = { now: 1000 };
  return { wall, clock: new PlaybackClock(() => wall.now, time, speed) };
}

describe('PlaybackClock', () => {
  it('stands still until started', () => {
    const { wall, clock } = clockAt(50_000);
    wall.now += 5000;
    expect(clock.time()).toBe(50_000);
    expect(clock.isRunning).toBe(false);
  });

  it('advances by elapsed wall time × speed from where it was started', () => {
    const { wall, clock } = clockAt(50_000, 4);
    wall.now += 100;
    clock.start();
    wall.now += 250;
    expect(clock.time()).toBe(51_000);
  });

  it('is anchored: many small readings add up exactly to one long one', () => {
    const { wall, clock } = clockAt(0, 16);
    clock.start();
    for (let i = 0; i < 600_000; i += 7) {
      wall.now += 7;
      clock.time();
    }
    expect(clock.time()).toBe(600_005 * 16);
  });

  it('stops at the time it is given and resumes from there', () => {
    const { wall, clock } = clockAt(0);
    clock.start();
    wall.now += 1000;
    clock.stop(400);
    wall.now += 1000;
    expect(clock.time()).toBe(400);
    clock.start();
    wall.now += 100;
    expect(clock.time()).toBe(500);
  });

  it('a speed change applies from the given time without a jump', () => {
    const { wall, clock } = clockAt(0);
    clock.start();
    wall.now += 1000;
    clock.setSpeed(8);
    expect(clock.time()).toBe(1000);
    wall.now += 1000;
    expect(clock.time()).toBe(9000);
    expect(clock.speed).toBe(8);
  });

  it('set moves the time and keeps running', () => {
    const { wall, clock } = clockAt(0, 2);
    clock.start();
    wall.now += 1000;
    clock.set(10);
    wall.now += 5;
    expect(clock.time()).toBe(20);
  });
});
