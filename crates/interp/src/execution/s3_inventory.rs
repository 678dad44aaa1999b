//! Amazon S3 inventory manifests as a Distributed Map dataset, and the compression of item files.
//!
//! With `ReaderConfig.InputType: MANIFEST` (or `ManifestType: S3_INVENTORY`) the `ItemReader`
//! object is an inventory `manifest.json`; its `files` are the inventory's CSV data files (in the
//! manifest's destination bucket, usually `.csv.gz`) and its `fileSchema` names their columns.
//! Each data row is one item, an object of strings keyed by the schema: the developer guide's
//! example (ItemReader, "Amazon S3 inventory") turns the schema
//! `"Bucket, Key, Size, LastModifiedDate"` and the row
//! `"amzn-s3-demo-source-bucket","csvDataset/titles.csv","3399671","2022-11-16T00:29:32.000Z"`
//! into `{"LastModifiedDate": "2022-11-16T00:29:32.000Z", "Bucket": "amzn-s3-demo-source-bucket",
//! "Size": "3399671", "Key": "csvDataset/titles.csv"}`. "The output format of your Amazon S3
//! inventory report must be CSV."
//!
//! Item files may be compressed: "Input files support the following external compression types:
//! GZIP, ZSTD. Example file names: `myObject.jsonl.gz` and `myObject.csv.zstd`." A `.gz` key is
//! gunzipped; ZSTD is not supported locally.

use std::io::Read as _;
use std::sync::Arc;

use serde_json::Value;

/// What a Distributed Map needs from an inventory manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct InventoryManifest {
    /// The bucket holding the data files: `destinationBucket` without its `arn:aws:s3:::`
    /// prefix; `None` when the manifest does not say (the reader's own bucket is used).
    pub(super) bucket: Option<String>,
    /// The column names, from `fileSchema` (comma-separated, spaces trimmed).
    pub(super) columns: Vec<Arc<str>>,
    /// The data files' keys, in the manifest's order.
    pub(super) files: Vec<String>,
}

/// Reads `manifest.json`; the error says what is wrong with it.
pub(super) fn parse_manifest(text: &str) -> Result<InventoryManifest, String> {
    let v: Value =
        serde_json::from_str(text).map_err(|e| format!("the manifest is not JSON: {e}"))?;
    let Some(m) = v.as_object() else {
        return Err("the manifest must be a JSON object".into());
    };
    match m.get("fileFormat").and_then(Value::as_str) {
        Some(f) if f.eq_ignore_ascii_case("CSV") => {}
        Some(f) => {
            return Err(format!(
                "the inventory's fileFormat is {f:?}: the output format of an Amazon S3 inventory report must be CSV"
            ));
        }
        None => return Err("the manifest has no string \"fileFormat\"".into()),
    }
    let Some(schema) = m.get("fileSchema").and_then(Value::as_str) else {
        return Err("the manifest has no string \"fileSchema\"".into());
    };
    let columns: Vec<Arc<str>> = schema.split(',').map(|c| Arc::from(c.trim())).collect();
    if columns.iter().any(|c| c.is_empty()) {
        return Err(format!("the manifest's fileSchema {schema:?} has an empty column name"));
    }
    let Some(files) = m.get("files").and_then(Value::as_array) else {
        return Err("the manifest has no \"files\" array".into());
    };
    let files = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            f.get("key")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("the manifest's files[{i}] has no string \"key\""))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let bucket = m
        .get("destinationBucket")
        .and_then(Value::as_str)
        .map(|b| b.strip_prefix("arn:aws:s3:::").unwrap_or(b).to_owned());
    Ok(InventoryManifest { bucket, columns, files })
}

/// The bytes of an item file, decompressed by its key's extension (`.gz`: GZIP).
pub(super) fn decompress(key: &str, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let lower = key.to_ascii_lowercase();
    if lower.ends_with(".gz") {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| format!("not valid GZIP data: {e}"))?;
        return Ok(out);
    }
    if lower.ends_with(".zst") || lower.ends_with(".zstd") {
        return Err("ZSTD-compressed item files are not supported locally (GZIP is)".into());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    /// The developer guide's example manifest (ItemReader, "Amazon S3 inventory").
    const GUIDE_MANIFEST: &str = r#"{
        "sourceBucket" : "amzn-s3-demo-source-bucket",
        "destinationBucket" : "arn:aws:s3:::amzn-s3-demo-inventory",
        "version" : "2016-11-30",
        "creationTimestamp" : "1668560400000",
        "fileFormat" : "CSV",
        "fileSchema" : "Bucket, Key, Size, LastModifiedDate",
        "files" : [ {
            "key" : "amzn-s3-demo-bucket/destination-prefix/data/20e55de8-9c21-45d4-99b9-46c732000228.csv.gz",
            "size" : 7300,
            "MD5checksum" : "a7ff4a1d4164c3cd55851055ec8f6b20"
        } ]
    }"#;

    #[test]
    fn the_guides_manifest_gives_columns_files_and_the_destination_bucket() {
        let m = parse_manifest(GUIDE_MANIFEST).expect("the guide's example is valid");
        let columns: Vec<&str> = m.columns.iter().map(|c| &**c).collect();
        assert_eq!(columns, ["Bucket", "Key", "Size", "LastModifiedDate"]);
        assert_eq!(m.bucket.as_deref(), Some("amzn-s3-demo-inventory"));
        assert_eq!(m.files.len(), 1);
        assert!(m.files[0].ends_with(".csv.gz"));
    }

    #[test]
    fn a_manifest_that_is_not_csv_is_refused() {
        // "The output format of your Amazon S3 inventory report must be CSV."
        let orc = GUIDE_MANIFEST.replace("\"CSV\"", "\"ORC\"");
        assert!(parse_manifest(&orc).unwrap_err().contains("must be CSV"));
        let no_files = r#"{"fileFormat": "CSV", "fileSchema": "Bucket, Key"}"#;
        assert!(parse_manifest(no_files).unwrap_err().contains("files"));
        assert!(parse_manifest("[1]").unwrap_err().contains("object"));
    }

    #[test]
    fn gz_keys_are_gunzipped_and_others_pass_through() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"\"b\",\"k\"\n").expect("in memory");
        let bytes = gz.finish().expect("in memory");
        assert_eq!(decompress("data/x.csv.gz", bytes).expect("valid gzip"), b"\"b\",\"k\"\n");
        assert_eq!(decompress("data/x.csv", b"a".to_vec()).expect("plain"), b"a");
        assert!(decompress("data/x.csv.gz", b"not gzip".to_vec()).is_err());
        assert!(decompress("data/x.csv.zstd", Vec::new()).unwrap_err().contains("ZSTD"));
    }
}
