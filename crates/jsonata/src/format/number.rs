//! `$formatNumber`, `$formatInteger`, `$parseInteger`, `$formatBase`.
