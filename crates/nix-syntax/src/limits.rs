//! Shapes rnix cannot parse in linear time, found before it tries.
//!
//! rnix's tokenizer looks ahead over the rest of a run of path characters (`a.b-c+d/e`) at
//! every token that starts inside it, and rowan re-hashes each small node's whole subtree
//! when its node cache grows. So a long run of tokens without spaces (`a.a.a.…`) and a long
//! chain of operators or arguments (`- - - 1`, `f f f 1`, `1+1+1`) cost time quadratic in
//! their length: 100,000 unary minus took 24 s. This scan reads the bytes once, following
//! what decides which bytes are code (strings, `''` strings, comments, interpolations,
//! brackets), and stops a file whose runs or chains pass the limits before rnix sees it.
//! Hand-written configurations stay orders of magnitude below them.

use nix_source::TextRange;

use crate::errors::SyntaxError;

/// Parts one run of path characters may join (`a.b.c` has three).
const MAX_RUN_PARTS: u32 = 4_000;
/// Operators and arguments one expression may chain between two `;`, `,`, `=`, `:`,
/// brackets or keywords (`f a b` chains two arguments, `a + b - c` two operators).
const MAX_CHAIN: u32 = 4_000;
/// The file's quadratic work: each run's length times its parts, plus each chain's length
/// squared. Bounds a file of many runs or chains that each stay under their own limit.
const MAX_WORK: u64 = 100_000_000;

/// The first place where `text` passes a limit, as a syntax error.
pub(crate) fn check(text: &str) -> Option<SyntaxError> {
    // Every part of a run and every link of a chain takes a byte, and the quadratic work is
    // at most twice the length squared: a shorter file cannot pass any limit.
    const _: () = assert!(2 * (MAX_CHAIN as u64).pow(2) < MAX_WORK && MAX_RUN_PARTS <= MAX_CHAIN);
    if text.len() < MAX_RUN_PARTS as usize {
        return None;
    }
    let mut scan = Scan {
        bytes: text.as_bytes(),
        at: 0,
        top_level: Frame::new(Mode::Code, false),
        frames: Vec::new(),
        work: 0,
    };
    scan.run().err()
}

/// What the bytes at the current position are.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Code,
    /// `"…"`
    String,
    /// `''…''`
    Indented,
}

/// One level of nesting; at a level of code, the chain it is in.
struct Frame {
    mode: Mode,
    /// Operators and arguments since the last separator, and where the first was.
    chain: u32,
    chain_start: usize,
    /// The last thing read was an operand, so an operand next is an argument.
    after_operand: bool,
    /// Where the last operand started.
    last_operand: usize,
    /// Operands side by side are items, not arguments: a list, or `inherit a b c;`.
    items: bool,
    inherit: bool,
}

impl Frame {
    /// `items`: a list, whose operands side by side are its items.
    fn new(mode: Mode, items: bool) -> Frame {
        Frame {
            mode,
            chain: 0,
            chain_start: 0,
            after_operand: false,
            last_operand: 0,
            items,
            inherit: false,
        }
    }
}

/// Byte classes of path characters (`a-z A-Z 0-9 _ . / + -`): what rnix's tokenizer looks
/// ahead over.
const PATH: u8 = 1;
const PLUS: u8 = 2;
const MINUS: u8 = 4;
const DOT: u8 = 8;
const SLASH: u8 = 16;
const CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        class[b] = if c.is_ascii_alphanumeric() || c == b'_' {
            PATH
        } else {
            match c {
                b'+' => PATH | PLUS,
                b'-' => PATH | MINUS,
                b'.' => PATH | DOT,
                b'/' => PATH | SLASH,
                _ => 0,
            }
        };
        b += 1;
    }
    class
};

fn is_path_byte(b: u8) -> bool {
    CLASS[usize::from(b)] & PATH != 0
}

/// The keywords, which end a chain (`if a then b else c` applies nothing).
fn is_keyword(name: &[u8]) -> bool {
    matches!(
        name,
        b"if"
            | b"then"
            | b"else"
            | b"assert"
            | b"with"
            | b"let"
            | b"in"
            | b"rec"
            | b"inherit"
            | b"or"
    )
}

struct Scan<'a> {
    bytes: &'a [u8],
    at: usize,
    /// The file's top level, under `frames`.
    top_level: Frame,
    frames: Vec<Frame>,
    work: u64,
}

impl Scan<'_> {
    fn run(&mut self) -> Result<(), SyntaxError> {
        while self.at < self.bytes.len() {
            match self.top().mode {
                Mode::Code => self.code()?,
                Mode::String => self.string(),
                Mode::Indented => self.indented(),
            }
        }
        self.end_chain()
    }

    /// The bytes from the current position (none once past the end).
    fn rest(&self) -> &[u8] {
        self.bytes.get(self.at..).unwrap_or_default()
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.at + ahead).copied().unwrap_or(0)
    }

    fn top(&mut self) -> &mut Frame {
        match self.frames.last_mut() {
            Some(frame) => frame,
            None => &mut self.top_level,
        }
    }

    /// One token (or comment) of code.
    fn code(&mut self) -> Result<(), SyntaxError> {
        let b = self.bytes[self.at];
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => {
                self.at += 1;
                while matches!(self.peek(0), b' ' | b'\t' | b'\r' | b'\n') {
                    self.at += 1;
                }
            }
            b'#' => self.skip_line_comment(),
            b'/' if self.peek(1) == b'*' => self.skip_block_comment(),
            b'/' if self.peek(1) == b'/' => {
                self.operators(self.at, 1)?;
                self.at += 2;
            }
            b'"' => {
                self.operand(self.at)?;
                self.at += 1;
                self.frames.push(Frame::new(Mode::String, false));
            }
            b'\'' if self.peek(1) == b'\'' => {
                self.operand(self.at)?;
                self.at += 2;
                self.frames.push(Frame::new(Mode::Indented, false));
            }
            b'$' if self.peek(1) == b'{' => self.open(2, false)?,
            b'(' | b'{' => self.open(1, false)?,
            b'[' => self.open(1, true)?,
            b')' | b']' | b'}' => self.close()?,
            b';' => {
                self.end_chain()?;
                self.top().inherit = false;
                self.at += 1;
            }
            b',' | b':' | b'@' => {
                self.end_chain()?;
                self.at += 1;
            }
            b'=' if self.peek(1) != b'=' => {
                self.end_chain()?;
                self.at += 1;
            }
            b'/' if is_path_byte(self.peek(1)) => self.path_run()?,
            b'=' | b'!' | b'<' | b'>' | b'&' | b'|' if is_operator_pair(b, self.peek(1)) => {
                self.operators(self.at, 1)?;
                self.at += 2;
            }
            b'*' | b'!' | b'<' | b'>' | b'?' | b'/' => {
                self.operators(self.at, 1)?;
                self.at += 1;
            }
            _ if is_path_byte(b) => self.path_run()?,
            _ => self.at += 1,
        }
        Ok(())
    }

    fn skip_line_comment(&mut self) {
        self.at = match memchr::memchr(b'\n', self.rest()) {
            Some(offset) => self.at + offset,
            None => self.bytes.len(),
        };
    }

    fn skip_block_comment(&mut self) {
        let body = self.at + 2;
        self.at = match memchr::memmem::find(&self.bytes[body..], b"*/") {
            Some(offset) => body + offset + 2,
            None => self.bytes.len(),
        };
    }

    /// A run of path characters: names, numbers, paths, and the `.`, `-`, `+` between them.
    fn path_run(&mut self) -> Result<(), SyntaxError> {
        let start = self.at;
        let mut end = start;
        // Counts of each class in the run, and of the signs it starts with.
        let (mut plus, mut minus, mut dots, mut slash) = (0u32, 0u32, 0u32, false);
        let (mut leading_plus, mut leading_minus) = (0u32, 0u32);
        loop {
            // Most of a run is name bytes.
            while self
                .bytes
                .get(end)
                .is_some_and(|&b| CLASS[usize::from(b)] == PATH)
            {
                end += 1;
            }
            let class = match self.bytes.get(end) {
                Some(&b) if is_path_byte(b) => CLASS[usize::from(b)],
                _ => break,
            };
            plus += u32::from(class & PLUS != 0);
            minus += u32::from(class & MINUS != 0);
            dots += u32::from(class & DOT != 0);
            slash |= class & SLASH != 0;
            if (leading_plus + leading_minus) as usize == end - start {
                leading_plus += u32::from(class & PLUS != 0);
                leading_minus += u32::from(class & MINUS != 0);
            }
            end += 1;
        }
        self.at = end;
        let parts = plus + minus + dots + 1;
        if parts > MAX_RUN_PARTS {
            return Err(error(
                start,
                end,
                format!(
                    "too long to analyse: {} tokens with no space between them \
                     (hm's limit is {})",
                    grouped(parts),
                    grouped(MAX_RUN_PARTS)
                ),
            ));
        }
        if parts > 1 {
            self.add_work(start, end, (end - start) as u64 * u64::from(parts))?;
        }
        if slash {
            // A path (`1/2` too) is one token, whatever it holds.
            return self.operand(start);
        }
        let signs = leading_plus + leading_minus;
        self.operators(start, signs)?;
        let rest = &self.bytes[start + signs as usize..end];
        let Some(&first) = rest.first() else {
            return Ok(());
        };
        if is_keyword(rest) {
            self.end_chain()?;
            if rest == b"inherit" {
                self.top().inherit = true;
            }
            return Ok(());
        }
        self.operand(start + signs as usize)?;
        // Inside a name `-` joins (`home-manager`); between numbers it subtracts.
        let inner_minus = if first.is_ascii_digit() {
            minus - leading_minus
        } else {
            0
        };
        let inner = plus - leading_plus + inner_minus;
        self.operators(start + signs as usize, inner)?;
        if matches!(rest.last(), Some(b'+' | b'-')) {
            self.top().after_operand = false;
        } else if inner > 0 {
            self.top().after_operand = true;
        }
        Ok(())
    }

    fn open(&mut self, width: usize, items: bool) -> Result<(), SyntaxError> {
        self.operand(self.at)?;
        self.at += width;
        self.frames.push(Frame::new(Mode::Code, items));
        Ok(())
    }

    fn close(&mut self) -> Result<(), SyntaxError> {
        self.end_chain()?;
        self.at += 1;
        self.frames.pop();
        Ok(())
    }

    /// The body of a `"…"` string, up to its end or an interpolation.
    fn string(&mut self) {
        while let Some(offset) = memchr::memchr3(b'"', b'\\', b'$', self.rest()) {
            self.at += offset;
            match self.bytes[self.at] {
                b'"' => {
                    self.at += 1;
                    self.frames.pop();
                    return;
                }
                b'\\' => self.at += 2,
                b'$' if self.peek(1) == b'$' => self.at += 2,
                b'$' if self.peek(1) == b'{' => return self.interpolation(),
                _ => self.at += 1,
            }
        }
        // Not closed: the rest of the file is the string's.
        self.at = self.bytes.len();
    }

    /// The body of a `''…''` string, up to its end or an interpolation.
    fn indented(&mut self) {
        while let Some(offset) = memchr::memchr2(b'\'', b'$', self.rest()) {
            self.at += offset;
            match self.bytes[self.at] {
                b'\'' if self.peek(1) == b'\'' => match self.peek(2) {
                    b'\'' | b'$' => self.at += 3,
                    b'\\' => self.at += 4,
                    _ => {
                        self.at += 2;
                        self.frames.pop();
                        return;
                    }
                },
                b'$' if self.peek(1) == b'$' => self.at += 2,
                b'$' if self.peek(1) == b'{' => return self.interpolation(),
                _ => self.at += 1,
            }
        }
        // Not closed: the rest of the file is the string's.
        self.at = self.bytes.len();
    }

    fn interpolation(&mut self) {
        self.at += 2;
        self.frames.push(Frame::new(Mode::Code, false));
    }

    /// An operand that starts at `at`: when it follows another outside a list, it is an
    /// argument of that one.
    fn operand(&mut self, at: usize) -> Result<(), SyntaxError> {
        let frame = self.top();
        let argument = frame.after_operand && !frame.items && !frame.inherit;
        let function = frame.last_operand;
        frame.after_operand = true;
        frame.last_operand = at;
        if argument {
            self.lengthen(function, 1)
        } else {
            Ok(())
        }
    }

    /// `count` operators, the first at `at`.
    fn operators(&mut self, at: usize, count: u32) -> Result<(), SyntaxError> {
        if count == 0 {
            return Ok(());
        }
        self.top().after_operand = false;
        self.lengthen(at, count)
    }

    fn lengthen(&mut self, at: usize, count: u32) -> Result<(), SyntaxError> {
        let frame = self.top();
        if frame.chain == 0 {
            frame.chain_start = at;
        }
        frame.chain += count;
        if frame.chain > MAX_CHAIN {
            let start = frame.chain_start;
            return Err(error(
                start,
                self.at.max(start),
                format!(
                    "expression too long to analyse: more than {} operators or arguments \
                     in a row (hm's limit)",
                    grouped(MAX_CHAIN)
                ),
            ));
        }
        Ok(())
    }

    fn end_chain(&mut self) -> Result<(), SyntaxError> {
        let end = self.at;
        let frame = self.top();
        let (chain, start) = (frame.chain, frame.chain_start);
        frame.chain = 0;
        frame.after_operand = false;
        self.add_work(start, end, u64::from(chain) * u64::from(chain))
    }

    fn add_work(&mut self, start: usize, end: usize, work: u64) -> Result<(), SyntaxError> {
        self.work += work;
        if self.work > MAX_WORK {
            return Err(error(
                start,
                end,
                "file too complex to analyse: its chains of operators and its tokens with no \
                 space between them add up past hm's limit"
                    .to_string(),
            ));
        }
        Ok(())
    }
}

/// `==`, `!=`, `<=`, `>=`, `&&`, `||`, `|>`, `<|`.
fn is_operator_pair(first: u8, second: u8) -> bool {
    matches!(
        (first, second),
        (b'=' | b'!' | b'<' | b'>', b'=') | (b'&', b'&') | (b'|', b'|' | b'>') | (b'<', b'|')
    )
}

/// `12345` as `12,345`.
fn grouped(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn error(start: usize, end: usize, message: String) -> SyntaxError {
    SyntaxError {
        range: TextRange::new(start as u32, end as u32),
        message,
    }
}
