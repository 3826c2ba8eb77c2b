//! Why a file could not be read for an import, or an export not made: typed, with the path
//! or position they concern, and worded for the user through the catalogs.

use std::fmt;
use std::io;
use std::path::PathBuf;

use super::ImportError;
use crate::tr;

/// A file to import that cannot be read as text.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be opened or read.
    File { path: PathBuf, source: io::Error },
    /// The file is not UTF-8 text; `byte` (from 1) is the first that is not.
    NotUtf8 { byte: usize },
    /// The file has a workbook's first bytes, but its sheets cannot be read.
    Workbook(Box<dyn std::error::Error + Send + Sync>),
    /// Every sheet of the workbook is empty.
    NoSheetWithData,
    /// The CSV text does not parse (its message names the line and record).
    Csv(csv::Error),
}

impl ReadError {
    /// A workbook's error, from `calamine` or from turning its sheet into CSV text.
    pub(super) fn workbook(source: impl std::error::Error + Send + Sync + 'static) -> ReadError {
        ReadError::Workbook(Box::new(source))
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            ReadError::File { path, source } => format!("{}: {source}", path.display()),
            ReadError::NotUtf8 { byte } => tr!(
                "the file is not UTF-8 text (byte {at}): save it as “CSV UTF-8”",
                at = byte
            ),
            ReadError::Workbook(source) => tr!(
                "the file looks like a workbook (.xlsx, .xls or .ods) but cannot be read: {error}",
                error = source
            ),
            ReadError::NoSheetWithData => tr!("the workbook has no sheet with data"),
            ReadError::Csv(source) => source.to_string(),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::File { source, .. } => Some(source),
            ReadError::Workbook(source) => Some(source.as_ref()),
            ReadError::Csv(source) => Some(source),
            ReadError::NotUtf8 { .. } | ReadError::NoSheetWithData => None,
        }
    }
}

/// A file that cannot be read imports nothing; the import's error words it as the file's.
impl From<ReadError> for ImportError {
    fn from(e: ReadError) -> ImportError {
        ImportError::Unreadable(e.to_string())
    }
}

/// An export that could not be made in memory.
#[derive(Debug)]
pub enum ExportError {
    /// Writing a row or the workbook failed.
    Write(io::Error),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Write(source) => source.fmt(f),
        }
    }
}

impl std::error::Error for ExportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ExportError::Write(source) => Some(source),
        }
    }
}

impl From<io::Error> for ExportError {
    fn from(e: io::Error) -> ExportError {
        ExportError::Write(e)
    }
}
