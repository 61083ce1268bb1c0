//! JavaScript regular expressions for JSONata regex literals (`/pattern/flags`).
//!
//! jsonata-js compiles a regex literal with `new RegExp(pattern, flags + "g")`: non-Unicode mode
//! with the web-compatibility (Annex B) syntax, flags `i` and `m` only, and searches from a start
//! index. This engine follows those semantics: it works on UTF-16 code units (so `.` matches half
//! of a surrogate pair, as in JavaScript), reports positions in code units, and matches the way a
//! backtracking JavaScript engine does (leftmost match; greedy and lazy quantifiers; alternatives
//! tried in order; captures reset on each iteration of a quantified group; an iteration beyond the
//! minimum that matches the empty string fails). Supported: literals, `.`, classes with ranges and
//! negation, `\d \D \w \W \s \S`, `\b \B`, `^ $` (line-aware with `m`), escapes (`\t \n \v \f \r
//! \0 \cX \xHH \uHHHH`, legacy octal, identity escapes), capturing, non-capturing and named
//! groups, back-references (`\1`, `\k<name>`), lookahead and lookbehind (positive and negative),
//! and the quantifiers `* + ? {n} {n,} {n,m}` with their lazy forms.
//!
//! The matcher runs on an explicit backtracking stack with a step budget, so no pattern or input
//! can overflow the stack or run unboundedly: a search that exceeds the budget fails with
//! [`RegexError::TooComplex`].

use std::fmt;

/// Steps (instructions executed) allowed for one search.
const STEP_BUDGET: u64 = 20_000_000;
/// Largest compiled program (counted repetitions are expanded).
const MAX_PROGRAM: usize = 100_000;
/// Deepest group nesting accepted.
const MAX_NESTING: usize = 100;

/// Why a pattern could not be compiled or a search could not complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegexError {
    /// The pattern is outside what this engine supports (or invalid).
    Syntax(String),
    /// The search needed more than the step budget (catastrophic backtracking).
    TooComplex,
}

impl fmt::Display for RegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegexError::Syntax(m) => write!(f, "invalid regular expression: {m}"),
            RegexError::TooComplex => write!(f, "regular expression search exceeded its step budget"),
        }
    }
}

/// One match: code-unit offsets of the whole match and of each capturing group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Start of the match.
    pub start: usize,
    /// End of the match (exclusive).
    pub end: usize,
    /// Each capturing group's span, `None` when it did not participate.
    pub groups: Vec<Option<(usize, usize)>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClassItem {
    Range(u16, u16),
    Digit(bool),
    Word(bool),
    Space(bool),
}

#[derive(Debug, Clone)]
struct Class {
    negated: bool,
    items: Vec<ClassItem>,
}

#[derive(Debug, Clone)]
enum Node {
    Empty,
    Char(u16),
    Any,
    Class(usize),
    LineStart,
    LineEnd,
    WordBoundary(bool),
    Group(Box<Node>, Option<usize>),
    Look { node: Box<Node>, behind: bool, negate: bool },
    Backref(usize),
    NamedBackref(Vec<u16>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat { node: Box<Node>, min: u32, max: Option<u32>, greedy: bool, groups: (usize, usize) },
}

#[derive(Debug, Clone)]
enum Inst {
    Char(u16),
    Any,
    Class(usize),
    LineStart,
    LineEnd,
    WordBoundary(bool),
    /// Try the first target, on failure the second.
    Split(usize, usize),
    Jmp(usize),
    Save(usize),
    /// Reset capture slots `[from, to)` (start of an iteration of a quantified group).
    ClearCaps(usize, usize),
    Mark(usize),
    /// Fails when the position equals the mark (an empty iteration).
    Progress(usize),
    Backref(usize),
    Look(usize),
    Match,
}

#[derive(Debug, Clone)]
struct Look {
    prog: Vec<Inst>,
    behind: bool,
    negate: bool,
}

/// A compiled regular expression.
#[derive(Debug, Clone)]
pub struct Regex {
    prog: Vec<Inst>,
    looks: Vec<Look>,
    classes: Vec<Class>,
    groups: usize,
    regs: usize,
    icase: bool,
    multiline: bool,
    source: String,
}

fn is_line_terminator(c: u16) -> bool {
    matches!(c, 0x0A | 0x0D | 0x2028 | 0x2029)
}

fn is_word(c: u16) -> bool {
    matches!(c, 0x30..=0x39 | 0x41..=0x5A | 0x61..=0x7A | 0x5F)
}

fn is_space(c: u16) -> bool {
    matches!(
        c,
        0x09..=0x0D | 0x20 | 0xA0 | 0x1680 | 0x2000..=0x200A | 0x2028 | 0x2029 | 0x202F | 0x205F | 0x3000 | 0xFEFF
    )
}

/// JavaScript's `Canonicalize` for case-insensitive non-Unicode matching: the upper case of the
/// code unit when that is a single code unit and does not map a non-ASCII letter to ASCII.
fn canonicalize(c: u16) -> u16 {
    let Some(ch) = char::from_u32(u32::from(c)) else {
        return c;
    };
    let mut up = ch.to_uppercase();
    let (Some(u), None) = (up.next(), up.next()) else {
        return c;
    };
    let u = u as u32;
    if u > 0xFFFF || (c >= 128 && u < 128) { c } else { u as u16 }
}

fn lower(c: u16) -> u16 {
    let Some(ch) = char::from_u32(u32::from(c)) else {
        return c;
    };
    let mut lo = ch.to_lowercase();
    match (lo.next(), lo.next()) {
        (Some(l), None) if (l as u32) <= 0xFFFF => l as u32 as u16,
        _ => c,
    }
}

impl Class {
    fn contains_exact(&self, c: u16) -> bool {
        self.items.iter().any(|item| match *item {
            ClassItem::Range(a, b) => a <= c && c <= b,
            ClassItem::Digit(neg) => (0x30..=0x39).contains(&c) != neg,
            ClassItem::Word(neg) => is_word(c) != neg,
            ClassItem::Space(neg) => is_space(c) != neg,
        })
    }

    fn matches(&self, c: u16, icase: bool) -> bool {
        let found = self.contains_exact(c)
            || (icase && {
                let cc = canonicalize(c);
                self.contains_exact(cc) || self.contains_exact(lower(c)) || self.contains_exact(lower(cc))
            });
        found != self.negated
    }
}

// ---------------------------------------------------------------------------------------------
// Parser

struct Parser<'p> {
    p: &'p [u16],
    pos: usize,
    classes: Vec<Class>,
    group_count: usize,
    next_group: usize,
    names: Vec<(Vec<u16>, usize)>,
    has_names: bool,
    depth: usize,
}

fn syntax(msg: &str) -> RegexError {
    RegexError::Syntax(msg.to_string())
}

const fn u(c: char) -> u16 {
    c as u32 as u16
}

impl Parser<'_> {
    fn peek(&self) -> Option<u16> {
        self.p.get(self.pos).copied()
    }

    fn peek_at(&self, k: usize) -> Option<u16> {
        self.p.get(self.pos + k).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(u(c)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn looking_at(&self, s: &str) -> bool {
        s.encode_utf16().enumerate().all(|(i, c)| self.peek_at(i) == Some(c))
    }

    fn disjunction(&mut self) -> Result<Node, RegexError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(syntax("groups nested too deeply"));
        }
        let mut alts = vec![self.alternative()?];
        while self.eat('|') {
            alts.push(self.alternative()?);
        }
        self.depth -= 1;
        Ok(if alts.len() == 1 { alts.pop().unwrap_or(Node::Empty) } else { Node::Alt(alts) })
    }

    fn alternative(&mut self) -> Result<Node, RegexError> {
        let mut terms = Vec::new();
        while let Some(c) = self.peek() {
            if c == u('|') || c == u(')') {
                break;
            }
            terms.push(self.term()?);
        }
        Ok(match terms.len() {
            0 => Node::Empty,
            1 => terms.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(terms),
        })
    }

    fn term(&mut self) -> Result<Node, RegexError> {
        let groups_before = self.next_group;
        let c = self.peek().unwrap_or(0);
        let atom = if c == u('^') {
            self.pos += 1;
            return Ok(Node::LineStart);
        } else if c == u('$') {
            self.pos += 1;
            return Ok(Node::LineEnd);
        } else if c == u('\\') && matches!(self.peek_at(1), Some(b) if b == u('b') || b == u('B')) {
            let negate = self.peek_at(1) == Some(u('B'));
            self.pos += 2;
            return Ok(Node::WordBoundary(negate));
        } else if self.looking_at("(?<=") || self.looking_at("(?<!") {
            let negate = self.peek_at(3) == Some(u('!'));
            self.pos += 4;
            let node = self.disjunction()?;
            if !self.eat(')') {
                return Err(syntax("missing )"));
            }
            return Ok(Node::Look { node: Box::new(node), behind: true, negate });
        } else if self.looking_at("(?=") || self.looking_at("(?!") {
            let negate = self.peek_at(2) == Some(u('!'));
            self.pos += 3;
            let node = self.disjunction()?;
            if !self.eat(')') {
                return Err(syntax("missing )"));
            }
            Node::Look { node: Box::new(node), behind: false, negate }
        } else if c == u('(') {
            self.pos += 1;
            let index = if self.eat('?') {
                if self.eat(':') {
                    None
                } else if self.eat('<') {
                    let start = self.pos;
                    while self.peek().is_some_and(|c| c != u('>')) {
                        self.pos += 1;
                    }
                    let name = self.p.get(start..self.pos).unwrap_or_default().to_vec();
                    if !self.eat('>') {
                        return Err(syntax("invalid group name"));
                    }
                    self.next_group += 1;
                    self.names.push((name, self.next_group));
                    Some(self.next_group)
                } else {
                    return Err(syntax("invalid group"));
                }
            } else {
                self.next_group += 1;
                Some(self.next_group)
            };
            let node = self.disjunction()?;
            if !self.eat(')') {
                return Err(syntax("missing )"));
            }
            Node::Group(Box::new(node), index)
        } else {
            self.atom()?
        };
        self.quantifier(atom, (groups_before + 1, self.next_group + 1))
    }

    /// `{n}`, `{n,}`, `{n,m}` at the current position, without consuming.
    fn braces(&self) -> Option<(u32, Option<u32>, usize)> {
        let mut i = self.pos;
        if self.p.get(i) != Some(&u('{')) {
            return None;
        }
        i += 1;
        let num = |i: &mut usize| -> Option<u32> {
            let s = *i;
            let mut v: u64 = 0;
            while let Some(&d) = self.p.get(*i).filter(|d| (u('0')..=u('9')).contains(d)) {
                v = (v * 10 + u64::from(d - u('0'))).min(u64::from(u32::MAX));
                *i += 1;
            }
            (*i > s).then_some(v as u32)
        };
        let min = num(&mut i)?;
        let max = if self.p.get(i) == Some(&u(',')) {
            i += 1;
            num(&mut i)
        } else {
            Some(min)
        };
        (self.p.get(i) == Some(&u('}'))).then_some((min, max, i + 1))
    }

    /// `{n}`, `{n,}` or `{n,m}` starting one unit back (at a `{` just consumed).
    fn braces_before(&mut self) -> bool {
        self.pos -= 1;
        let q = self.braces().is_some();
        self.pos += 1;
        q
    }

    fn quantifier(&mut self, atom: Node, groups: (usize, usize)) -> Result<Node, RegexError> {
        let (min, max) = match self.peek() {
            Some(c) if c == u('*') => {
                self.pos += 1;
                (0, None)
            }
            Some(c) if c == u('+') => {
                self.pos += 1;
                (1, None)
            }
            Some(c) if c == u('?') => {
                self.pos += 1;
                (0, Some(1))
            }
            Some(c) if c == u('{') => match self.braces() {
                Some((min, max, next)) => {
                    self.pos = next;
                    if max.is_some_and(|m| m < min) {
                        return Err(syntax("numbers out of order in {} quantifier"));
                    }
                    (min, max)
                }
                None => return Ok(atom),
            },
            _ => return Ok(atom),
        };
        let greedy = !self.eat('?');
        if matches!(atom, Node::LineStart | Node::LineEnd | Node::WordBoundary(_)) {
            return Err(syntax("nothing to repeat"));
        }
        Ok(Node::Repeat { node: Box::new(atom), min, max, greedy, groups })
    }

    fn atom(&mut self) -> Result<Node, RegexError> {
        let Some(c) = self.peek() else {
            return Ok(Node::Empty);
        };
        self.pos += 1;
        if c == u('.') {
            Ok(Node::Any)
        } else if c == u('[') {
            self.class()
        } else if c == u('\\') {
            self.atom_escape()
        } else if c == u('*') || c == u('+') || c == u('?') || (c == u('{') && self.braces_before()) {
            Err(syntax("nothing to repeat"))
        } else {
            Ok(Node::Char(c))
        }
    }

    fn hex(&mut self, n: usize) -> Option<u16> {
        let mut v: u32 = 0;
        for k in 0..n {
            let d = char::from_u32(u32::from(self.peek_at(k)?))?.to_digit(16)?;
            v = v * 16 + d;
        }
        self.pos += n;
        Some(v as u16)
    }

    /// Legacy octal escape starting at the current position (first digit not yet consumed).
    fn octal(&mut self) -> u16 {
        let mut v: u32 = 0;
        let mut n = 0;
        while n < 3 {
            let Some(d) = self.peek().filter(|d| (u('0')..=u('7')).contains(d)) else {
                break;
            };
            let next = v * 8 + u32::from(d - u('0'));
            if next > 0o377 {
                break;
            }
            v = next;
            self.pos += 1;
            n += 1;
        }
        v as u16
    }

    fn class_escape(&mut self, c: u16) -> Option<ClassItem> {
        let item = match char::from_u32(u32::from(c))? {
            'd' => ClassItem::Digit(false),
            'D' => ClassItem::Digit(true),
            'w' => ClassItem::Word(false),
            'W' => ClassItem::Word(true),
            's' => ClassItem::Space(false),
            'S' => ClassItem::Space(true),
            _ => return None,
        };
        Some(item)
    }

    /// A character escape (after the backslash, which is consumed; `c` is the next unit, not yet
    /// consumed). Returns the code unit matched.
    fn char_escape(&mut self, c: u16, in_class: bool) -> u16 {
        self.pos += 1;
        match char::from_u32(u32::from(c)).unwrap_or('\u{0}') {
            't' => 9,
            'n' => 10,
            'v' => 11,
            'f' => 12,
            'r' => 13,
            'b' if in_class => 8,
            'c' => match self.peek() {
                Some(l) if (l as u8 as char).is_ascii_alphabetic() && l < 128 => {
                    self.pos += 1;
                    l % 32
                }
                Some(l) if in_class && ((0x30..=0x39).contains(&l) || l == u('_')) => {
                    self.pos += 1;
                    l % 32
                }
                _ => {
                    // `\c` without a control letter is a literal backslash; the `c` follows.
                    self.pos -= 1;
                    u('\\')
                }
            },
            'x' => self.hex(2).unwrap_or(u('x')),
            'u' => self.hex(4).unwrap_or(u('u')),
            '0'..='7' => {
                self.pos -= 1;
                self.octal()
            }
            _ => c,
        }
    }

    fn atom_escape(&mut self) -> Result<Node, RegexError> {
        let Some(c) = self.peek() else {
            return Err(syntax("\\ at end of pattern"));
        };
        if let Some(item) = self.class_escape(c) {
            self.pos += 1;
            self.classes.push(Class { negated: false, items: vec![item] });
            return Ok(Node::Class(self.classes.len() - 1));
        }
        if (u('1')..=u('9')).contains(&c) {
            let start = self.pos;
            let mut n: usize = 0;
            while let Some(d) = self.peek().filter(|d| (u('0')..=u('9')).contains(d)) {
                n = n.saturating_mul(10).saturating_add(usize::from(d - u('0')));
                self.pos += 1;
            }
            if n <= self.group_count {
                return Ok(Node::Backref(n));
            }
            self.pos = start;
            if c == u('8') || c == u('9') {
                self.pos += 1;
                return Ok(Node::Char(c));
            }
            return Ok(Node::Char(self.octal()));
        }
        if c == u('0') && !self.peek_at(1).is_some_and(|d| (u('0')..=u('9')).contains(&d)) {
            self.pos += 1;
            return Ok(Node::Char(0));
        }
        if c == u('k') && self.has_names && self.peek_at(1) == Some(u('<')) {
            self.pos += 2;
            let start = self.pos;
            while self.peek().is_some_and(|c| c != u('>')) {
                self.pos += 1;
            }
            let name = self.p.get(start..self.pos).unwrap_or_default().to_vec();
            if !self.eat('>') {
                return Err(syntax("invalid named reference"));
            }
            return Ok(Node::NamedBackref(name));
        }
        Ok(Node::Char(self.char_escape(c, false)))
    }

    /// One class atom: a code unit or a class escape.
    fn class_atom(&mut self) -> Result<Result<u16, ClassItem>, RegexError> {
        let Some(c) = self.peek() else {
            return Err(syntax("unterminated character class"));
        };
        self.pos += 1;
        if c != u('\\') {
            return Ok(Ok(c));
        }
        let Some(e) = self.peek() else {
            return Err(syntax("\\ at end of pattern"));
        };
        if let Some(item) = self.class_escape(e) {
            self.pos += 1;
            return Ok(Err(item));
        }
        if e == u('-') {
            self.pos += 1;
            return Ok(Ok(e));
        }
        if (u('8')..=u('9')).contains(&e) {
            self.pos += 1;
            return Ok(Ok(e));
        }
        Ok(Ok(self.char_escape(e, true)))
    }

    fn class(&mut self) -> Result<Node, RegexError> {
        let negated = self.eat('^');
        let mut items = Vec::new();
        loop {
            match self.peek() {
                None => return Err(syntax("unterminated character class")),
                Some(c) if c == u(']') => {
                    self.pos += 1;
                    break;
                }
                _ => {}
            }
            let first = self.class_atom()?;
            if self.peek() == Some(u('-')) && self.peek_at(1).is_some_and(|c| c != u(']')) {
                self.pos += 1;
                let second = self.class_atom()?;
                match (first, second) {
                    (Ok(a), Ok(b)) => {
                        if a > b {
                            return Err(syntax("range out of order in character class"));
                        }
                        items.push(ClassItem::Range(a, b));
                    }
                    (a, b) => {
                        for x in [a, Ok(u('-')), b] {
                            items.push(match x {
                                Ok(c) => ClassItem::Range(c, c),
                                Err(item) => item,
                            });
                        }
                    }
                }
            } else {
                items.push(match first {
                    Ok(c) => ClassItem::Range(c, c),
                    Err(item) => item,
                });
            }
        }
        self.classes.push(Class { negated, items });
        Ok(Node::Class(self.classes.len() - 1))
    }
}

/// Counts capturing groups (JavaScript needs the total to tell back-references from octal
/// escapes) and whether any is named.
fn scan_groups(p: &[u16]) -> (usize, bool) {
    let (mut n, mut named, mut i, mut in_class) = (0, false, 0, false);
    while let Some(&c) = p.get(i) {
        if c == u('\\') {
            i += 2;
            continue;
        }
        if in_class {
            if c == u(']') {
                in_class = false;
            }
        } else if c == u('[') {
            in_class = true;
        } else if c == u('(') {
            if p.get(i + 1) != Some(&u('?')) {
                n += 1;
            } else if p.get(i + 2) == Some(&u('<')) && !matches!(p.get(i + 3), Some(&x) if x == u('=') || x == u('!')) {
                n += 1;
                named = true;
            }
        }
        i += 1;
    }
    (n, named)
}

// ---------------------------------------------------------------------------------------------
// Compiler

struct Compiler<'a> {
    looks: Vec<Look>,
    regs: usize,
    names: &'a [(Vec<u16>, usize)],
    icase: bool,
}

fn push(prog: &mut Vec<Inst>, inst: Inst) -> Result<usize, RegexError> {
    if prog.len() >= MAX_PROGRAM {
        return Err(syntax("pattern too large"));
    }
    prog.push(inst);
    Ok(prog.len() - 1)
}

fn patch(prog: &mut [Inst], at: usize, target: usize, second: bool) {
    match prog.get_mut(at) {
        Some(Inst::Split(a, b)) => {
            if second {
                *b = target;
            } else {
                *a = target;
            }
        }
        Some(Inst::Jmp(a)) => *a = target,
        _ => {}
    }
}

impl Compiler<'_> {
    fn emit(&mut self, node: &Node, prog: &mut Vec<Inst>) -> Result<(), RegexError> {
        match node {
            Node::Empty => {}
            Node::Char(c) => {
                push(prog, Inst::Char(if self.icase { canonicalize(*c) } else { *c }))?;
            }
            Node::Any => {
                push(prog, Inst::Any)?;
            }
            Node::Class(i) => {
                push(prog, Inst::Class(*i))?;
            }
            Node::LineStart => {
                push(prog, Inst::LineStart)?;
            }
            Node::LineEnd => {
                push(prog, Inst::LineEnd)?;
            }
            Node::WordBoundary(neg) => {
                push(prog, Inst::WordBoundary(*neg))?;
            }
            Node::Group(inner, index) => {
                if let Some(i) = index {
                    push(prog, Inst::Save(2 * i))?;
                    self.emit(inner, prog)?;
                    push(prog, Inst::Save(2 * i + 1))?;
                } else {
                    self.emit(inner, prog)?;
                }
            }
            Node::Look { node, behind, negate } => {
                let mut sub = Vec::new();
                self.emit(node, &mut sub)?;
                push(&mut sub, Inst::Match)?;
                self.looks.push(Look { prog: sub, behind: *behind, negate: *negate });
                push(prog, Inst::Look(self.looks.len() - 1))?;
            }
            Node::Backref(i) => {
                push(prog, Inst::Backref(*i))?;
            }
            Node::NamedBackref(name) => {
                let Some((_, i)) = self.names.iter().find(|(n, _)| n == name) else {
                    return Err(syntax("invalid named capture referenced"));
                };
                push(prog, Inst::Backref(*i))?;
            }
            Node::Concat(nodes) => {
                for n in nodes {
                    self.emit(n, prog)?;
                }
            }
            Node::Alt(alts) => {
                let mut jumps = Vec::new();
                for (k, alt) in alts.iter().enumerate() {
                    if k + 1 < alts.len() {
                        let split = push(prog, Inst::Split(0, 0))?;
                        patch(prog, split, split + 1, false);
                        self.emit(alt, prog)?;
                        jumps.push(push(prog, Inst::Jmp(0))?);
                        let next = prog.len();
                        patch(prog, split, next, true);
                    } else {
                        self.emit(alt, prog)?;
                    }
                }
                let end = prog.len();
                for j in jumps {
                    patch(prog, j, end, false);
                }
            }
            Node::Repeat { node, min, max, greedy, groups } => {
                self.repeat(node, *min, *max, *greedy, *groups, prog)?;
            }
        }
        Ok(())
    }

    fn iteration(&mut self, node: &Node, groups: (usize, usize), prog: &mut Vec<Inst>) -> Result<(), RegexError> {
        if groups.1 > groups.0 {
            push(prog, Inst::ClearCaps(2 * groups.0, 2 * groups.1))?;
        }
        self.emit(node, prog)
    }

    fn repeat(
        &mut self,
        node: &Node,
        min: u32,
        max: Option<u32>,
        greedy: bool,
        groups: (usize, usize),
        prog: &mut Vec<Inst>,
    ) -> Result<(), RegexError> {
        if min as usize > MAX_PROGRAM || max.is_some_and(|m| m as usize > MAX_PROGRAM) {
            return Err(syntax("repetition count too large"));
        }
        for _ in 0..min {
            self.iteration(node, groups, prog)?;
        }
        let reg = self.regs;
        self.regs += 1;
        match max {
            None => {
                let split = push(prog, Inst::Split(0, 0))?;
                let body = split + 1;
                push(prog, Inst::Mark(reg))?;
                self.iteration(node, groups, prog)?;
                push(prog, Inst::Progress(reg))?;
                push(prog, Inst::Jmp(split))?;
                let exit = prog.len();
                patch(prog, split, if greedy { body } else { exit }, false);
                patch(prog, split, if greedy { exit } else { body }, true);
            }
            Some(max) => {
                let mut splits = Vec::new();
                for _ in min..max {
                    let split = push(prog, Inst::Split(0, 0))?;
                    splits.push(split);
                    push(prog, Inst::Mark(reg))?;
                    self.iteration(node, groups, prog)?;
                    push(prog, Inst::Progress(reg))?;
                }
                let exit = prog.len();
                for split in splits {
                    patch(prog, split, if greedy { split + 1 } else { exit }, false);
                    patch(prog, split, if greedy { exit } else { split + 1 }, true);
                }
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Matcher

enum Backtrack {
    Alt(usize, usize),
    Cap(usize, Option<usize>),
    Reg(usize, usize),
}

struct Run<'r> {
    re: &'r Regex,
    input: &'r [u16],
    budget: u64,
}

impl Regex {
    /// Compiles `pattern` (the text between the slashes) with flags `i` and/or `m`.
    pub fn new(pattern: &str, flags: &str) -> Result<Regex, RegexError> {
        let p: Vec<u16> = pattern.encode_utf16().collect();
        let (group_count, has_names) = scan_groups(&p);
        let mut parser = Parser {
            p: &p,
            pos: 0,
            classes: Vec::new(),
            group_count,
            next_group: 0,
            names: Vec::new(),
            has_names,
            depth: 0,
        };
        let node = parser.disjunction()?;
        if parser.pos < p.len() {
            return Err(syntax("unmatched )"));
        }
        let icase = flags.contains('i');
        let mut compiler = Compiler { looks: Vec::new(), regs: 0, names: &parser.names, icase };
        let mut prog = Vec::new();
        compiler.emit(&node, &mut prog)?;
        push(&mut prog, Inst::Match)?;
        Ok(Regex {
            prog,
            looks: compiler.looks,
            classes: parser.classes,
            groups: parser.next_group,
            regs: compiler.regs,
            icase,
            multiline: flags.contains('m'),
            source: pattern.to_string(),
        })
    }

    /// The pattern text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Number of capturing groups.
    pub fn group_count(&self) -> usize {
        self.groups
    }

    /// The first match starting at or after code unit `from` (JavaScript `exec` with `lastIndex`).
    pub fn exec(&self, input: &[u16], from: usize) -> Result<Option<Match>, RegexError> {
        let mut run = Run { re: self, input, budget: STEP_BUDGET };
        let slots = 2 * (self.groups + 1);
        let mut start = from;
        while start <= input.len() {
            let mut caps = vec![None; slots];
            let mut regs = vec![usize::MAX; self.regs];
            if let Some(end) = run.run(&self.prog, start, &mut caps, &mut regs, None)? {
                let groups = (1..=self.groups)
                    .map(|g| match (caps.get(2 * g).copied().flatten(), caps.get(2 * g + 1).copied().flatten()) {
                        (Some(a), Some(b)) if a <= b => Some((a, b)),
                        _ => None,
                    })
                    .collect();
                return Ok(Some(Match { start, end, groups }));
            }
            start += 1;
        }
        Ok(None)
    }
}

impl Run<'_> {
    fn unit(&self, pos: usize) -> Option<u16> {
        self.input.get(pos).copied()
    }

    fn eq(&self, a: u16, b: u16) -> bool {
        a == b || (self.re.icase && canonicalize(a) == canonicalize(b))
    }

    /// Runs `prog` from `pos`; returns the end position of the first match found in backtracking
    /// order. With `end_at`, only a match ending exactly there counts (lookbehind).
    fn run(
        &mut self,
        prog: &[Inst],
        start: usize,
        caps: &mut [Option<usize>],
        regs: &mut [usize],
        end_at: Option<usize>,
    ) -> Result<Option<usize>, RegexError> {
        let mut stack: Vec<Backtrack> = Vec::new();
        let mut pc = 0usize;
        let mut pos = start;
        loop {
            if self.budget == 0 {
                return Err(RegexError::TooComplex);
            }
            self.budget -= 1;
            let ok = match prog.get(pc) {
                None => false,
                Some(Inst::Match) => {
                    if end_at.is_none_or(|e| e == pos) {
                        return Ok(Some(pos));
                    }
                    false
                }
                Some(Inst::Char(c)) => match self.unit(pos) {
                    Some(x) if x == *c || (self.re.icase && canonicalize(x) == *c) => {
                        pos += 1;
                        pc += 1;
                        true
                    }
                    _ => false,
                },
                Some(Inst::Any) => match self.unit(pos) {
                    Some(x) if !is_line_terminator(x) => {
                        pos += 1;
                        pc += 1;
                        true
                    }
                    _ => false,
                },
                Some(Inst::Class(i)) => match (self.unit(pos), self.re.classes.get(*i)) {
                    (Some(x), Some(class)) if class.matches(x, self.re.icase) => {
                        pos += 1;
                        pc += 1;
                        true
                    }
                    _ => false,
                },
                Some(Inst::LineStart) => {
                    let ok = pos == 0 || (self.re.multiline && self.unit(pos - 1).is_some_and(is_line_terminator));
                    pc += 1;
                    ok
                }
                Some(Inst::LineEnd) => {
                    let ok = pos == self.input.len()
                        || (self.re.multiline && self.unit(pos).is_some_and(is_line_terminator));
                    pc += 1;
                    ok
                }
                Some(Inst::WordBoundary(negate)) => {
                    let before = pos > 0 && self.unit(pos - 1).is_some_and(is_word);
                    let after = self.unit(pos).is_some_and(is_word);
                    pc += 1;
                    (before != after) != *negate
                }
                Some(Inst::Split(a, b)) => {
                    stack.push(Backtrack::Alt(*b, pos));
                    pc = *a;
                    true
                }
                Some(Inst::Jmp(a)) => {
                    pc = *a;
                    true
                }
                Some(Inst::Save(slot)) => {
                    if let Some(c) = caps.get_mut(*slot) {
                        stack.push(Backtrack::Cap(*slot, *c));
                        *c = Some(pos);
                    }
                    pc += 1;
                    true
                }
                Some(Inst::ClearCaps(from, to)) => {
                    for slot in *from..*to {
                        if let Some(c) = caps.get_mut(slot)
                            && c.is_some()
                        {
                            stack.push(Backtrack::Cap(slot, *c));
                            *c = None;
                        }
                    }
                    pc += 1;
                    true
                }
                Some(Inst::Mark(r)) => {
                    if let Some(v) = regs.get_mut(*r) {
                        stack.push(Backtrack::Reg(*r, *v));
                        *v = pos;
                    }
                    pc += 1;
                    true
                }
                Some(Inst::Progress(r)) => {
                    pc += 1;
                    regs.get(*r).is_some_and(|m| *m != pos)
                }
                Some(Inst::Backref(g)) => {
                    let span = match (caps.get(2 * g).copied().flatten(), caps.get(2 * g + 1).copied().flatten()) {
                        (Some(a), Some(b)) if a <= b => Some((a, b)),
                        _ => None,
                    };
                    pc += 1;
                    match span {
                        None => true,
                        Some((a, b)) => {
                            let len = b - a;
                            let matched = pos + len <= self.input.len()
                                && (0..len).all(|k| match (self.unit(a + k), self.unit(pos + k)) {
                                    (Some(x), Some(y)) => self.eq(x, y),
                                    _ => false,
                                });
                            if matched {
                                pos += len;
                            }
                            matched
                        }
                    }
                }
                Some(Inst::Look(i)) => {
                    pc += 1;
                    self.look(*i, pos, caps, regs, &mut stack)?
                }
            };
            if ok {
                continue;
            }
            // Backtrack.
            loop {
                match stack.pop() {
                    None => return Ok(None),
                    Some(Backtrack::Cap(slot, old)) => {
                        if let Some(c) = caps.get_mut(slot) {
                            *c = old;
                        }
                    }
                    Some(Backtrack::Reg(r, old)) => {
                        if let Some(v) = regs.get_mut(r) {
                            *v = old;
                        }
                    }
                    Some(Backtrack::Alt(target, at)) => {
                        pc = target;
                        pos = at;
                        break;
                    }
                }
            }
        }
    }

    fn look(
        &mut self,
        i: usize,
        pos: usize,
        caps: &mut [Option<usize>],
        regs: &mut [usize],
        stack: &mut Vec<Backtrack>,
    ) -> Result<bool, RegexError> {
        let re = self.re;
        let Some(look) = re.looks.get(i) else {
            return Ok(false);
        };
        let mut sub_caps = caps.to_vec();
        let mut sub_regs = regs.to_vec();
        let found = if look.behind {
            let mut found = false;
            for s in 0..=pos {
                let mut c = caps.to_vec();
                let mut r = regs.to_vec();
                if self.run(&look.prog, s, &mut c, &mut r, Some(pos))?.is_some() {
                    sub_caps = c;
                    found = true;
                    break;
                }
            }
            found
        } else {
            self.run(&look.prog, pos, &mut sub_caps, &mut sub_regs, None)?.is_some()
        };
        if found == look.negate {
            return Ok(false);
        }
        if !look.negate {
            for (slot, (cur, new)) in caps.iter_mut().zip(sub_caps).enumerate() {
                if *cur != new {
                    stack.push(Backtrack::Cap(slot, *cur));
                    *cur = new;
                }
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(p: &str, flags: &str, s: &str) -> Option<(String, Vec<Option<String>>)> {
        let re = Regex::new(p, flags).unwrap();
        let input: Vec<u16> = s.encode_utf16().collect();
        re.exec(&input, 0).unwrap().map(|m| {
            let text = |a: usize, b: usize| String::from_utf16_lossy(&input[a..b]);
            (text(m.start, m.end), m.groups.iter().map(|g| g.map(|(a, b)| text(a, b))).collect())
        })
    }

    fn whole(p: &str, s: &str) -> Option<String> {
        find(p, "", s).map(|(m, _)| m)
    }

    #[test]
    fn basics() {
        assert_eq!(whole("a+", "baaac"), Some("aaa".into()));
        assert_eq!(whole("a+?", "baaac"), Some("a".into()));
        assert_eq!(whole("a*?c", "baaac"), Some("aaac".into()));
        assert_eq!(whole("x", "abc"), None);
        assert_eq!(whole("[a-c]{2}", "xxbcd"), Some("bc".into()));
        assert_eq!(whole("[^a-c]+", "abcdef"), Some("def".into()));
        assert_eq!(whole("\\d{2,3}", "a12345"), Some("123".into()));
        assert_eq!(whole("\\d{2,}", "a12345"), Some("12345".into()));
        assert_eq!(whole("\\bfoo\\b", "a foo b"), Some("foo".into()));
        assert_eq!(whole("^b", "ab"), None);
        assert_eq!(find("^b", "m", "a\nb").map(|x| x.0), Some("b".into()));
        assert_eq!(whole("a|ab", "ab"), Some("a".into()));
        assert_eq!(whole("(?:ab)+", "ababa"), Some("abab".into()));
        assert_eq!(find("AB", "i", "xaby").map(|x| x.0), Some("ab".into()));
        assert_eq!(find("[a-z]+", "i", "12ABc").map(|x| x.0), Some("ABc".into()));
        assert_eq!(whole("a.c", "a\nc abc"), Some("abc".into()));
        assert_eq!(whole("a{", "a{"), Some("a{".into()));
        assert_eq!(whole("\\u0041\\x42", "zAB"), Some("AB".into()));
    }

    #[test]
    fn groups_and_references() {
        assert_eq!(find("(a)(b)?", "", "ac"), Some(("a".into(), vec![Some("a".into()), None])));
        assert_eq!(find("(\\w)\\1", "", "abccd").map(|x| x.0), Some("cc".into()));
        assert_eq!(find("(?<x>o)\\k<x>", "", "foo").map(|x| x.0), Some("oo".into()));
        // Captures are reset on each iteration.
        assert_eq!(find("(?:(a)|b)+", "", "ab"), Some(("ab".into(), vec![None])));
        assert_eq!(find("(a|(b))+", "", "ab").map(|x| x.1), Some(vec![Some("b".into()), Some("b".into())]));
        // Empty iterations beyond the minimum fail, so `(a*)*` terminates.
        assert_eq!(whole("(a*)*b", "aab"), Some("aab".into()));
        assert_eq!(whole("(a*)+$", "aa"), Some("aa".into()));
    }

    #[test]
    fn lookaround() {
        assert_eq!(whole("a(?=b)", "acab"), Some("a".into()));
        assert_eq!(find("a(?=b)", "", "acab").map(|_| ()), Some(()));
        assert_eq!(whole("a(?!b)", "abac"), Some("a".into()));
        assert_eq!(whole("(?<=\\$)\\d+", "cost $42"), Some("42".into()));
        assert_eq!(whole("(?<!\\$)\\b\\d+", "$42 17"), Some("17".into()));
    }

    #[test]
    fn utf16_positions() {
        let re = Regex::new("b", "").unwrap();
        let input: Vec<u16> = "😀b".encode_utf16().collect();
        assert_eq!(re.exec(&input, 0).unwrap().map(|m| m.start), Some(2));
        assert_eq!(whole("^.$", "😀"), None);
        assert_eq!(whole("^..$", "😀"), Some("😀".into()));
    }

    #[test]
    fn catastrophic_backtracking_is_bounded() {
        let re = Regex::new("(a+)+$", "").unwrap();
        let input: Vec<u16> = format!("{}b", "a".repeat(40)).encode_utf16().collect();
        assert_eq!(re.exec(&input, 0), Err(RegexError::TooComplex));
    }

    #[test]
    fn unsupported_syntax_is_an_error_not_a_panic() {
        for p in ["(", "a)", "[a", "*", "a{3,2}", "(?x)", "\\"] {
            assert!(Regex::new(p, "").is_err(), "{p}");
        }
    }
}
