// What a run would cost on AWS as a Standard and as an Express workflow. Defaults are AWS's
// published us-east-1 prices (the Step Functions pricing page); the run panel lets users edit
// them for their region or contract.
//
// - Standard: per state transition; each retry is an additional transition.
// - Express: per request, plus duration rounded up to the nearest 100 ms, times the memory used
//   billed in 64 MB chunks, priced per GB-second.
import type { UsageView } from "../../ipc/rpc";

export type Prices = {
  /** USD per state transition ($0.025 per 1,000). */
  standardPerTransition: number;
  /** USD per Express request ($1.00 per million). */
  expressPerRequest: number;
  /** USD per GB-second of Express duration (first tier). */
  expressPerGbSecond: number;
  /** Memory the run is assumed to use, MB (billed in 64 MB chunks; 64 MB is the least). */
  expressMemoryMb: number;
};

export const AWS_PRICES: Prices = {
  standardPerTransition: 0.025 / 1000,
  expressPerRequest: 1 / 1_000_000,
  expressPerGbSecond: 0.00001667,
  expressMemoryMb: 64,
};

export type Cost = {
  standard: number;
  express: number;
  /** The duration Express bills, in seconds. */
  billedSeconds: number;
  /** The memory Express bills, in MB. */
  billedMemoryMb: number;
};

export function costOf(usage: UsageView, prices: Prices): Cost {
  const billedSeconds = Math.max(1, Math.ceil(usage.durationMs / 100)) / 10;
  const billedMemoryMb = Math.max(1, Math.ceil(prices.expressMemoryMb / 64)) * 64;
  const gbSeconds = billedSeconds * (billedMemoryMb / 1024);
  return {
    standard: usage.stateTransitions * prices.standardPerTransition,
    express: prices.expressPerRequest + gbSeconds * prices.expressPerGbSecond,
    billedSeconds,
    billedMemoryMb,
  };
}

/** Small dollar amounts, readable: $0.000175. */
export function usd(amount: number): string {
  if (amount === 0) return "$0";
  return `$${amount.toPrecision(3).replace(/\.?0+$/, "")}`;
}
