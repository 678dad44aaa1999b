import { describe, expect, it } from "vitest";
import { AWS_PRICES, costOf, usd } from "./cost";

describe("costOf", () => {
  it("prices Standard per transition and Express per request plus billed GB-seconds", () => {
    // 8 transitions over 3,020 ms (rounded up to 3.1 s), 64 MB.
    const cost = costOf({ stateTransitions: 8, durationMs: 3020 }, AWS_PRICES);
    expect(cost.standard).toBeCloseTo(8 * 0.000025, 12);
    expect(cost.billedSeconds).toBe(3.1);
    expect(cost.billedMemoryMb).toBe(64);
    expect(cost.express).toBeCloseTo(0.000001 + 3.1 * (64 / 1024) * 0.00001667, 12);
  });

  it("bills at least 100 ms and rounds memory up to 64 MB chunks", () => {
    const cost = costOf({ stateTransitions: 1, durationMs: 0 }, { ...AWS_PRICES, expressMemoryMb: 65 });
    expect(cost.billedSeconds).toBe(0.1);
    expect(cost.billedMemoryMb).toBe(128);
  });

  it("formats small amounts readably", () => {
    expect(usd(0.0002)).toBe("$0.0002");
    expect(usd(0.00000432)).toBe("$0.00000432");
    expect(usd(0)).toBe("$0");
  });
});
