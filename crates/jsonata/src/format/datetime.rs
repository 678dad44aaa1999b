//! `$fromMillis`, `$toMillis`: timestamps and XPath picture strings.
