//! A small regular-expression engine for the `=~ /pattern/flags` filter operator.
//!
//! Jayway evaluates `=~` with `java.util.regex.Pattern` and `Matcher.matches()`: the pattern must
//! match the *whole* string. This engine covers the commonly used subset of Java's syntax:
//! literals, `.`, `^`, `$`, `\A`, `\z`, `\Z`, `\b`, `\B`, character classes (`[a-z]`, `[^...]`),
//! `\d \D \w \W \s \S`, escapes (`\t \n \r \f \e \a \xHH \uHHHH`, escaped punctuation), groups
//! `(...)` / `(?:...)`, alternation `|` and the quantifiers `* + ? {n} {n,} {n,m}` (lazy `?` and
//! possessive `+` suffixes are accepted and treated like greedy ones, which never changes whether a
//! whole-string match exists). Flags: `i` (ASCII case-insensitive, as Java's
//! `CASE_INSENSITIVE`), `u` (with `i`: Unicode case folding), `s` (`.` matches line terminators),
//! `m` (`^`/`$` match at line boundaries); `d`, `x` and `U` are not supported.
//!
//! Anything outside the subset (look-around, back-references, named groups, inline flags, nested
//! classes, `\p{...}`) is a compile error; the filter then never matches. Matching simulates a
//! Thompson NFA: linear in the input, no recursion, so hostile input cannot exhaust the stack.

/// Deepest group nesting accepted.
const MAX_DEPTH: usize = 64;
/// Largest compiled program (counted repetitions are expanded).
const MAX_PROGRAM: usize = 10_000;

#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    icase: bool,
    unicode_case: bool,
    dotall: bool,
    multiline: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Assertion {
    LineStart,
    LineEnd,
    InputStart,
    InputEnd,
    /// End of input, or before a final line terminator.
    InputEndZ,
    WordBoundary,
    NotWordBoundary,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ClassItem {
    Range(char, char),
    Digit(bool),
    Word(bool),
    Space(bool),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Class {
    negated: bool,
    items: Vec<ClassItem>,
}

#[derive(Debug, Clone)]
enum Node {
    Char(char),
    Any,
    Class(Class),
    Assert(Assertion),
    Group(Vec<Vec<Node>>),
    Repeat { node: Box<Node>, min: u32, max: Option<u32> },
}

#[derive(Debug, Clone)]
enum Inst {
    Char(char),
    Any,
    Class(Class),
    Assert(Assertion),
    Split(usize, usize),
    Jmp(usize),
    Match,
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub(super) struct Regex {
    program: Vec<Inst>,
    flags: Flags,
}

/// Why a pattern could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RegexError(pub String);

impl Regex {
    /// Compiles `pattern` (the text between the slashes) with the flag letters after them.
    pub(super) fn new(pattern: &str, flags: &str) -> Result<Regex, RegexError> {
        let mut f = Flags::default();
        for c in flags.chars() {
            match c {
                'i' => f.icase = true,
                'u' => f.unicode_case = true,
                's' => f.dotall = true,
                'm' => f.multiline = true,
                other => return Err(RegexError(format!("unsupported regular expression flag '{other}'"))),
            }
        }
        let mut parser = ReParser { chars: pattern.chars().collect(), pos: 0, depth: 0 };
        let alternatives = parser.alternation()?;
        if parser.pos < parser.chars.len() {
            return Err(RegexError(format!("unmatched ')' at position {}", parser.pos)));
        }
        let mut compiler = Compiler { program: Vec::new() };
        compiler.alternation(&alternatives)?;
        compiler.push(Inst::Match)?;
        Ok(Regex { program: compiler.program, flags: f })
    }

    /// Whether the pattern matches the whole of `input` (Java's `Matcher.matches()`).
    pub(super) fn is_full_match(&self, input: &str) -> bool {
        let chars: Vec<char> = input.chars().collect();
        let mut current = Threads::new(self.program.len());
        let mut next = Threads::new(self.program.len());
        let mut stack = Vec::new();
        self.add_closure(&mut current, &mut stack, 0, &chars, 0);
        for (pos, &c) in chars.iter().enumerate() {
            if current.list.is_empty() {
                return false;
            }
            next.clear();
            for &pc in &current.list {
                let advances = match self.program.get(pc) {
                    Some(Inst::Char(expected)) => self.same_char(*expected, c),
                    Some(Inst::Any) => self.flags.dotall || !is_line_terminator(c),
                    Some(Inst::Class(class)) => self.class_matches(class, c),
                    _ => false,
                };
                if advances {
                    self.add_closure(&mut next, &mut stack, pc + 1, &chars, pos + 1);
                }
            }
            std::mem::swap(&mut current, &mut next);
        }
        current.list.iter().any(|&pc| matches!(self.program.get(pc), Some(Inst::Match)))
    }

    /// Adds `pc` and everything reachable from it without consuming input at `pos`.
    fn add_closure(&self, threads: &mut Threads, stack: &mut Vec<usize>, pc: usize, input: &[char], pos: usize) {
        stack.clear();
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            if !threads.insert(pc) {
                continue;
            }
            match self.program.get(pc) {
                Some(Inst::Jmp(target)) => stack.push(*target),
                Some(Inst::Split(a, b)) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Some(Inst::Assert(assertion)) if self.assertion_holds(*assertion, input, pos) => stack.push(pc + 1),
                _ => {}
            }
        }
    }

    fn assertion_holds(&self, assertion: Assertion, input: &[char], pos: usize) -> bool {
        let len = input.len();
        let before = pos.checked_sub(1).and_then(|p| input.get(p)).copied();
        let at = input.get(pos).copied();
        match assertion {
            Assertion::InputStart => pos == 0,
            Assertion::InputEnd => pos == len,
            Assertion::InputEndZ => pos == len || (pos + 1 == len && at.is_some_and(is_line_terminator)),
            Assertion::LineStart => {
                pos == 0 || (self.flags.multiline && pos < len && before.is_some_and(is_line_terminator))
            }
            Assertion::LineEnd => {
                if self.flags.multiline {
                    pos == len || at.is_some_and(is_line_terminator)
                } else {
                    pos == len || (pos + 1 == len && at.is_some_and(is_line_terminator))
                }
            }
            Assertion::WordBoundary | Assertion::NotWordBoundary => {
                let boundary = before.is_some_and(is_word) != at.is_some_and(is_word);
                boundary == (assertion == Assertion::WordBoundary)
            }
        }
    }

    fn same_char(&self, expected: char, actual: char) -> bool {
        if expected == actual {
            return true;
        }
        if !self.flags.icase {
            return false;
        }
        if self.flags.unicode_case { fold(expected) == fold(actual) } else { expected.eq_ignore_ascii_case(&actual) }
    }

    fn class_matches(&self, class: &Class, c: char) -> bool {
        let hit = |c: char| class.items.iter().any(|item| item_matches(item, c));
        let mut found = hit(c);
        if !found && self.flags.icase {
            found = if self.flags.unicode_case {
                c.to_lowercase().any(hit) || c.to_uppercase().any(hit)
            } else {
                hit(c.to_ascii_lowercase()) || hit(c.to_ascii_uppercase())
            };
        }
        found != class.negated
    }
}

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn item_matches(item: &ClassItem, c: char) -> bool {
    match *item {
        ClassItem::Range(lo, hi) => lo <= c && c <= hi,
        ClassItem::Digit(negated) => c.is_ascii_digit() != negated,
        ClassItem::Word(negated) => is_word(c) != negated,
        ClassItem::Space(negated) => matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r') != negated,
    }
}

/// Java's `\w` without `UNICODE_CHARACTER_CLASS`: `[a-zA-Z_0-9]`.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Java's line terminators (what `.` does not match without `DOTALL`).
fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// An ordered set of program counters with O(1) membership.
struct Threads {
    list: Vec<usize>,
    seen: Vec<bool>,
}

impl Threads {
    fn new(size: usize) -> Threads {
        Threads { list: Vec::new(), seen: vec![false; size] }
    }

    fn insert(&mut self, pc: usize) -> bool {
        match self.seen.get_mut(pc) {
            Some(slot) if !*slot => {
                *slot = true;
                self.list.push(pc);
                true
            }
            _ => false,
        }
    }

    fn clear(&mut self) {
        for &pc in &self.list {
            if let Some(slot) = self.seen.get_mut(pc) {
                *slot = false;
            }
        }
        self.list.clear();
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

struct ReParser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

type RResult<T> = Result<T, RegexError>;

fn err<T>(message: impl Into<String>) -> RResult<T> {
    Err(RegexError(message.into()))
}

impl ReParser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn alternation(&mut self) -> RResult<Vec<Vec<Node>>> {
        let mut alternatives = vec![self.sequence()?];
        while self.eat('|') {
            alternatives.push(self.sequence()?);
        }
        Ok(alternatives)
    }

    fn sequence(&mut self) -> RResult<Vec<Node>> {
        let mut nodes = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            nodes.push(self.quantified(atom)?);
        }
        Ok(nodes)
    }

    fn quantified(&mut self, atom: Node) -> RResult<Node> {
        let (min, max) = match self.peek() {
            Some('*') => {
                self.pos += 1;
                (0, None)
            }
            Some('+') => {
                self.pos += 1;
                (1, None)
            }
            Some('?') => {
                self.pos += 1;
                (0, Some(1))
            }
            Some('{') => {
                self.pos += 1;
                let min = self.count()?.ok_or_else(|| RegexError("expected a number after '{'".into()))?;
                let max = if self.eat(',') { self.count()? } else { Some(min) };
                if !self.eat('}') {
                    return err("expected '}' to close a repetition");
                }
                if max.is_some_and(|max| max < min) {
                    return err("repetition maximum is smaller than its minimum");
                }
                (min, max)
            }
            _ => return Ok(atom),
        };
        // Lazy `?` or possessive `+`: same whole-string match result as greedy.
        if !self.eat('?') {
            self.eat('+');
        }
        if matches!(atom, Node::Assert(_)) {
            return err("a quantifier cannot follow an anchor");
        }
        if matches!(self.peek(), Some('*' | '+' | '?' | '{')) {
            return err("a quantifier cannot follow another quantifier");
        }
        Ok(Node::Repeat { node: Box::new(atom), min, max })
    }

    fn count(&mut self) -> RResult<Option<u32>> {
        let start = self.pos;
        let mut value: u32 = 0;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            value = match value.checked_mul(10).and_then(|v| v.checked_add(d)) {
                Some(v) => v,
                None => return err("repetition count is too large"),
            };
            self.pos += 1;
        }
        Ok(if self.pos == start { None } else { Some(value) })
    }

    fn atom(&mut self) -> RResult<Node> {
        let Some(c) = self.bump() else { return err("unexpected end of the pattern") };
        match c {
            '(' => {
                if self.eat('?') && !self.eat(':') {
                    return err("only non-capturing groups '(?:...)' are supported among '(?' constructs");
                }
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return err("groups are nested too deeply");
                }
                let inner = self.alternation()?;
                self.depth -= 1;
                if !self.eat(')') {
                    return err("unclosed group: expected ')'");
                }
                Ok(Node::Group(inner))
            }
            '[' => self.class(),
            '.' => Ok(Node::Any),
            '^' => Ok(Node::Assert(Assertion::LineStart)),
            '$' => Ok(Node::Assert(Assertion::LineEnd)),
            '\\' => self.escape(),
            '*' | '+' | '?' | '{' => err(format!("dangling quantifier '{c}'")),
            other => Ok(Node::Char(other)),
        }
    }

    /// After a backslash outside a class.
    fn escape(&mut self) -> RResult<Node> {
        let Some(c) = self.bump() else { return err("the pattern ends with a lone backslash") };
        Ok(match c {
            'd' => class_of(ClassItem::Digit(false)),
            'D' => class_of(ClassItem::Digit(true)),
            'w' => class_of(ClassItem::Word(false)),
            'W' => class_of(ClassItem::Word(true)),
            's' => class_of(ClassItem::Space(false)),
            'S' => class_of(ClassItem::Space(true)),
            'b' => Node::Assert(Assertion::WordBoundary),
            'B' => Node::Assert(Assertion::NotWordBoundary),
            'A' => Node::Assert(Assertion::InputStart),
            'z' => Node::Assert(Assertion::InputEnd),
            'Z' => Node::Assert(Assertion::InputEndZ),
            _ => Node::Char(self.escaped_char(c)?),
        })
    }

    /// A backslash escape that stands for one character (`c` follows the backslash).
    fn escaped_char(&mut self, c: char) -> RResult<char> {
        match c {
            't' => Ok('\t'),
            'n' => Ok('\n'),
            'r' => Ok('\r'),
            'f' => Ok('\u{0C}'),
            'e' => Ok('\u{1B}'),
            'a' => Ok('\u{07}'),
            'x' => self.hex(2),
            'u' => self.hex(4),
            c if c.is_ascii_alphanumeric() => err(format!("unsupported escape '\\{c}'")),
            other => Ok(other),
        }
    }

    fn hex(&mut self, digits: usize) -> RResult<char> {
        let mut value = 0u32;
        for _ in 0..digits {
            let Some(d) = self.bump().and_then(|c| c.to_digit(16)) else {
                return err("malformed hexadecimal escape");
            };
            value = value * 16 + d;
        }
        char::from_u32(value).ok_or_else(|| RegexError("escape is not a valid character".into()))
    }

    /// After `[`.
    fn class(&mut self) -> RResult<Node> {
        let negated = self.eat('^');
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.bump() else { return err("unclosed character class: expected ']'") };
            let lo = match c {
                ']' if !first => break,
                '[' => return err("nested character classes are not supported"),
                '&' if self.peek() == Some('&') => return err("character class intersections are not supported"),
                '\\' => {
                    let Some(e) = self.bump() else { return err("unclosed character class: expected ']'") };
                    match e {
                        'd' => ClassItem::Digit(false),
                        'D' => ClassItem::Digit(true),
                        'w' => ClassItem::Word(false),
                        'W' => ClassItem::Word(true),
                        's' => ClassItem::Space(false),
                        'S' => ClassItem::Space(true),
                        other => {
                            let ch = self.escaped_char(other)?;
                            ClassItem::Range(ch, ch)
                        }
                    }
                }
                other => ClassItem::Range(other, other),
            };
            first = false;
            // A range `a-z`; a `-` before `]` is literal.
            if let ClassItem::Range(start, _) = lo
                && self.peek() == Some('-')
                && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']')
            {
                self.pos += 1;
                let end = match self.bump() {
                    Some('\\') => {
                        let Some(e) = self.bump() else { return err("unclosed character class: expected ']'") };
                        self.escaped_char(e)?
                    }
                    Some(end) => end,
                    None => return err("unclosed character class: expected ']'"),
                };
                if end < start {
                    return err(format!("illegal character range {start}-{end}"));
                }
                items.push(ClassItem::Range(start, end));
                continue;
            }
            items.push(lo);
        }
        Ok(Node::Class(Class { negated, items }))
    }
}

fn class_of(item: ClassItem) -> Node {
    Node::Class(Class { negated: false, items: vec![item] })
}

// ---------------------------------------------------------------------------------------------
// Compiling to an NFA program

struct Compiler {
    program: Vec<Inst>,
}

impl Compiler {
    fn push(&mut self, inst: Inst) -> RResult<usize> {
        if self.program.len() >= MAX_PROGRAM {
            return err("the regular expression is too large");
        }
        self.program.push(inst);
        Ok(self.program.len() - 1)
    }

    fn patch(&mut self, at: usize, inst: Inst) {
        if let Some(slot) = self.program.get_mut(at) {
            *slot = inst;
        }
    }

    fn alternation(&mut self, alternatives: &[Vec<Node>]) -> RResult<()> {
        let Some((last, init)) = alternatives.split_last() else { return Ok(()) };
        let mut jumps = Vec::new();
        for alternative in init {
            let split = self.push(Inst::Split(0, 0))?;
            self.sequence(alternative)?;
            jumps.push(self.push(Inst::Jmp(0))?);
            let next = self.program.len();
            self.patch(split, Inst::Split(split + 1, next));
        }
        self.sequence(last)?;
        let end = self.program.len();
        for jump in jumps {
            self.patch(jump, Inst::Jmp(end));
        }
        Ok(())
    }

    fn sequence(&mut self, nodes: &[Node]) -> RResult<()> {
        nodes.iter().try_for_each(|node| self.node(node))
    }

    fn node(&mut self, node: &Node) -> RResult<()> {
        match node {
            Node::Char(c) => self.push(Inst::Char(*c)).map(drop),
            Node::Any => self.push(Inst::Any).map(drop),
            Node::Class(class) => self.push(Inst::Class(class.clone())).map(drop),
            Node::Assert(a) => self.push(Inst::Assert(*a)).map(drop),
            Node::Group(alternatives) => self.alternation(alternatives),
            Node::Repeat { node, min, max } => {
                for _ in 0..*min {
                    self.node(node)?;
                }
                match max {
                    None => {
                        // L: split(body, out); body; jmp L
                        let split = self.push(Inst::Split(0, 0))?;
                        self.node(node)?;
                        self.push(Inst::Jmp(split))?;
                        let out = self.program.len();
                        self.patch(split, Inst::Split(split + 1, out));
                    }
                    Some(max) => {
                        let mut splits = Vec::new();
                        for _ in *min..*max {
                            splits.push(self.push(Inst::Split(0, 0))?);
                            self.node(node)?;
                        }
                        let out = self.program.len();
                        for split in splits {
                            self.patch(split, Inst::Split(split + 1, out));
                        }
                    }
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, flags: &str, input: &str) -> bool {
        match Regex::new(pattern, flags) {
            Ok(re) => re.is_full_match(input),
            Err(e) => panic!("pattern {pattern:?} failed to compile: {e:?}"),
        }
    }

    #[test]
    fn whole_string_semantics() {
        assert!(m("abc", "", "abc"));
        assert!(!m("abc", "", "abcd"));
        assert!(!m("b", "", "abc"));
        assert!(m(".*b.*", "", "abc"));
        assert!(m("^abc$", "", "abc"));
    }

    #[test]
    fn quantifiers_and_classes() {
        assert!(m("a+b*c?", "", "aaab"));
        assert!(!m("a+b*c?", "", "bc"));
        assert!(m("[a-c]{2,3}", "", "cab"));
        assert!(!m("[a-c]{2,3}", "", "cabc"));
        assert!(m("[^0-9]+", "", "abc"));
        assert!(!m("[^0-9]+", "", "ab1"));
        assert!(m("\\d{3}-\\d{4}", "", "555-1234"));
        assert!(m("\\w+\\s\\w+", "", "hello world"));
        assert!(m("x{2}", "", "xx"));
        assert!(m("a.*?b", "", "axxb"));
        assert!(m("[-a]+", "", "a-a"));
        assert!(m("[a-]+", "", "-a"));
    }

    #[test]
    fn groups_and_alternation() {
        assert!(m("(ab)+", "", "ababab"));
        assert!(m("(?:cat|dog)s?", "", "dogs"));
        assert!(m("a|ab", "", "ab"));
        assert!(!m("(ab)+", "", "aba"));
        assert!(m("(a*)*b", "", "aaab"));
    }

    #[test]
    fn flags() {
        assert!(!m("abc", "", "ABC"));
        assert!(m("abc", "i", "ABC"));
        assert!(m("[a-z]+", "i", "AbC"));
        assert!(!m("é", "i", "É"));
        assert!(m("é", "iu", "É"));
        assert!(!m("a.b", "", "a\nb"));
        assert!(m("a.b", "s", "a\nb"));
        assert!(m("a$\\n^b", "m", "a\nb"));
    }

    #[test]
    fn unsupported_syntax_is_an_error() {
        assert!(Regex::new("(?=a)", "").is_err());
        assert!(Regex::new("\\p{L}", "").is_err());
        assert!(Regex::new("*a", "").is_err());
        assert!(Regex::new("(a", "").is_err());
        assert!(Regex::new("a)", "").is_err());
        assert!(Regex::new("a", "x").is_err());
        assert!(Regex::new("a{1000000}", "").is_err());
    }

    #[test]
    fn long_input_does_not_recurse() {
        let input = "a".repeat(200_000);
        assert!(m("(a|b)*", "", &input));
        assert!(!m("(a*)*c", "", &input));
    }
}
