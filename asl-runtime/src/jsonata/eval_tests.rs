//! Evaluator tests: expressions from the JSONata documentation and the jsonata-js test suite
//! (`test/test-suite/groups/*`), rewritten for Step Functions (the test document is
//! `$states.input`), plus the AWS-recorded pairs for the Step Functions functions.

use super::*;
use crate::jsonata::{ParseOptions, parse_with_options};
use serde_json::{Value, json};

/// jsonata-js test-suite `dataset5` (the Account/Order example of the documentation).
fn account() -> Value {
    json!({
        "Account": {
            "Account Name": "Firefly",
            "Order": [
                {
                    "OrderID": "order103",
                    "Product": [
                        {
                            "Product Name": "Bowler Hat", "ProductID": 858383, "SKU": "0406654608",
                            "Description": {"Colour": "Purple", "Width": 300, "Height": 200, "Depth": 210, "Weight": 0.75},
                            "Price": 34.45, "Quantity": 2
                        },
                        {
                            "Product Name": "Trilby hat", "ProductID": 858236, "SKU": "0406634348",
                            "Description": {"Colour": "Orange", "Width": 300, "Height": 200, "Depth": 210, "Weight": 0.6},
                            "Price": 21.67, "Quantity": 1
                        }
                    ]
                },
                {
                    "OrderID": "order104",
                    "Product": [
                        {
                            "Product Name": "Bowler Hat", "ProductID": 858383, "SKU": "040657863",
                            "Description": {"Colour": "Purple", "Width": 300, "Height": 200, "Depth": 210, "Weight": 0.75},
                            "Price": 34.45, "Quantity": 4
                        },
                        {
                            "ProductID": 345664, "SKU": "0406654603", "Product Name": "Cloak",
                            "Description": {"Colour": "Black", "Width": 30, "Height": 20, "Depth": 210, "Weight": 2},
                            "Price": 107.99, "Quantity": 1
                        }
                    ]
                }
            ]
        }
    })
}

/// The address example of the JSONata documentation.
fn address() -> Value {
    json!({
        "FirstName": "Fred",
        "Surname": "Smith",
        "Age": 28,
        "Address": {"Street": "Hursley Park", "City": "Winchester", "Postcode": "SO21 2JN"},
        "Phone": [
            {"type": "home", "number": "0203 544 1234"},
            {"type": "office", "number": "01962 001234"},
            {"type": "office", "number": "01962 001235"},
            {"type": "mobile", "number": "077 7700 1234"}
        ],
        "Email": [
            {"type": "office", "address": ["fred.smith@my-work.com", "fsmith@my-work.com"]},
            {"type": "home", "address": ["freddy@my-social.com", "frederic.smith@very-serious.com"]}
        ],
        "Other": {
            "Over 18 ?": true,
            "Misc": null,
            "Alternative.Address": {"Street": "Brick Lane", "City": "London", "Postcode": "E1 6RF"}
        }
    })
}

/// The library example of the JSONata documentation (joins).
fn library() -> Value {
    json!({
        "library": {
            "books": [
                {"title": "Structure and Interpretation of Computer Programs", "authors": ["Abelson", "Sussman"],
                 "isbn": "9780262510875", "price": 38.90, "copies": 2},
                {"title": "The C Programming Language", "authors": ["Kernighan", "Richie"],
                 "isbn": "9780131103627", "price": 33.59, "copies": 3},
                {"title": "The AWK Programming Language", "authors": ["Aho", "Kernighan", "Weinberger"],
                 "isbn": "9780201079814", "copies": 1},
                {"title": "Compilers: Principles, Techniques, and Tools", "authors": ["Aho", "Lam", "Sethi", "Ullman"],
                 "isbn": "9780201100884", "price": 23.38, "copies": 1}
            ],
            "loans": [
                {"customer": "10001", "isbn": "9780262510875", "return": "2016-12-05"},
                {"customer": "10003", "isbn": "9780201100884", "return": "2016-10-22"},
                {"customer": "10003", "isbn": "9780262510875", "return": "2016-12-22"}
            ],
            "customers": [
                {"id": "10001", "name": "Joe Doe"},
                {"id": "10002", "name": "Fred Bloggs"},
                {"id": "10003", "name": "Jason Arthur"}
            ]
        }
    })
}

fn context() -> Value {
    json!({"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:sm:run", "Name": "run"},
           "State": {"Name": "Pass", "EnteredTime": "2024-01-01T00:00:00.000Z"}})
}

/// Evaluates with `$states.input = input`.
fn ev(expr: &str, input: &Value) -> Result<Option<JValue>, EvalError> {
    let e = parse_with_options(expr, ParseOptions::JSONATA_2_0_6).unwrap_or_else(|err| panic!("{expr}: {err}"));
    let ctx = context();
    let b = Bindings::new().with_states(input, &ctx, None, None);
    evaluate(&e, &b)
}

/// The JSON result, `None` for undefined; panics on errors.
fn json_of(expr: &str, input: &Value) -> Option<Value> {
    match ev(expr, input) {
        Ok(None) => None,
        Ok(Some(v)) => Some(to_json(Some(v)).unwrap_or_else(|e| panic!("{expr}: {e:?}"))),
        Err(e) => panic!("{expr}: unexpected error {e}"),
    }
}

fn check_all(input: &Value, cases: &[(&str, Value)]) {
    for (expr, expected) in cases {
        assert_eq!(json_of(expr, input).as_ref(), Some(expected), "expression: {expr}");
    }
}

fn check_undefined(input: &Value, cases: &[&str]) {
    for expr in cases {
        assert_eq!(json_of(expr, input), None, "expression: {expr}");
    }
}

fn check_errors(input: &Value, cases: &[(&str, &str)]) {
    for (expr, code) in cases {
        match ev(expr, input) {
            Err(e) => assert_eq!(e.code, *code, "expression: {expr}: {e}"),
            Ok(v) => panic!("{expr}: expected {code}, got {v:?}"),
        }
    }
}

const P: &str = "$states.input.Account.Order.Product";

#[test]
fn literals_and_arithmetic() {
    let i = json!({});
    check_all(
        &i,
        &[
            ("\"hello\"", json!("hello")),
            ("\"Wayne's World\"", json!("Wayne's World")),
            ("'say \"hi\"'", json!("say \"hi\"")),
            ("42", json!(42)),
            ("-42.5", json!(-42.5)),
            ("12.375", json!(12.375)),
            ("1e3", json!(1000)),
            ("true", json!(true)),
            ("null", json!(null)),
            ("1 + 2 * 3", json!(7)),
            ("(1 + 2) * 3", json!(9)),
            ("10 % 3", json!(1)),
            ("-5 % 3", json!(-2)),
            ("7 / 2", json!(3.5)),
            ("0.1 + 0.2", json!(0.1 + 0.2)),
            ("-(2 + 3)", json!(-5)),
            ("1.0", json!(1)),
            ("0.5 * 4", json!(2)),
            ("1 = 1.0", json!(true)),
            ("1 != \"1\"", json!(true)),
            ("[1, 2] = [1, 2]", json!(true)),
            ("{\"a\": [1, {\"b\": 2}]} = {\"a\": [1, {\"b\": 2}]}", json!(true)),
            ("{\"a\": 1, \"b\": 2} = {\"b\": 2, \"a\": 1}", json!(true)),
            ("\"a\" < \"b\"", json!(true)),
            ("\"a\" < \"B\"", json!(false)),
            ("\"2\" > \"10\"", json!(true)),
            ("2 > 10", json!(false)),
            ("3 >= 3", json!(true)),
            ("3 <= 2", json!(false)),
            ("$nothing = 1", json!(false)),
            ("$nothing != 1", json!(false)),
            ("true and false", json!(false)),
            ("1 and \"a\"", json!(true)),
            ("0 or \"\"", json!(false)),
            ("$nothing or true", json!(true)),
            ("false and $error(\"never evaluated\")", json!(false)),
            ("true or $error(\"never evaluated\")", json!(true)),
            ("\"a\" in [\"a\", \"b\"]", json!(true)),
            ("\"c\" in [\"a\", \"b\"]", json!(false)),
            ("1 in 1", json!(true)),
            ("$nothing in [1]", json!(false)),
            ("\"a\" & 1 & true & null", json!("a1truenull")),
            ("\"list: \" & [1, 2.5] & {\"x\": \"y\"}", json!("list: [1,2.5]{\"x\":\"y\"}")),
            ("\"x\" & $nothing", json!("x")),
            ("(0.1 + 0.2) & \"\"", json!("0.3")),
            ("1 > 0 ? \"yes\" : \"no\"", json!("yes")),
            ("0 ? \"yes\" : \"no\"", json!("no")),
            ("[] ? 1 : 2", json!(2)),
            ("($a := 1; $b := 2; $a + $b)", json!(3)),
            ("($a := 1; ($a := 2); $a)", json!(1)),
            ("($a := 1; ($a := 2; $a))", json!(2)),
            ("$x := 5", json!(5)),
        ],
    );
    check_undefined(&i, &["$nothing", "$nothing + 1", "$nothing < 1", "false ? 1", "()", "$nothing.a.b"]);
}

#[test]
fn paths_and_sequences() {
    let a = address();
    check_all(
        &a,
        &[
            ("$states.input.Surname", json!("Smith")),
            ("$states.input.Age", json!(28)),
            ("$states.input.Address.City", json!("Winchester")),
            ("$states.input.Other.Misc", json!(null)),
            ("$states.input.Other.`Over 18 ?`", json!(true)),
            ("$states.input.Other.\"Alternative.Address\".City", json!("London")),
            ("$states.input.Phone[0]", json!({"type": "home", "number": "0203 544 1234"})),
            ("$states.input.Phone[1].number", json!("01962 001234")),
            ("$states.input.Phone[-1].type", json!("mobile")),
            ("$states.input.Phone[-2].number", json!("01962 001235")),
            ("$states.input.Phone[0.9].type", json!("home")),
            ("$states.input.Phone.number", json!(["0203 544 1234", "01962 001234", "01962 001235", "077 7700 1234"])),
            (
                "$states.input.Phone.number[0]",
                json!(["0203 544 1234", "01962 001234", "01962 001235", "077 7700 1234"]),
            ),
            ("($states.input.Phone.number)[0]", json!("0203 544 1234")),
            ("$states.input.Phone[[0..1]].type", json!(["home", "office"])),
            ("$states.input.Phone[[0, 3]].type", json!(["home", "mobile"])),
            ("$states.input.Phone[type='mobile'].number", json!("077 7700 1234")),
            ("$states.input.Phone[type='office'].number", json!(["01962 001234", "01962 001235"])),
            ("$states.input.Phone[type='office'][1].number", json!("01962 001235")),
            ("$states.input.Phone[type='mobile'].number[]", json!(["077 7700 1234"])),
            ("$states.input.Phone[type='mobile'][].number", json!(["077 7700 1234"])),
            (
                "$states.input.Email.address",
                json!([
                    "fred.smith@my-work.com",
                    "fsmith@my-work.com",
                    "freddy@my-social.com",
                    "frederic.smith@very-serious.com"
                ]),
            ),
            (
                "$states.input.Email[type='home'].address",
                json!(["freddy@my-social.com", "frederic.smith@very-serious.com"]),
            ),
            ("$states.input.Email.address[0]", json!(["fred.smith@my-work.com", "freddy@my-social.com"])),
            ("$states.input.Address.*", json!(["Hursley Park", "Winchester", "SO21 2JN"])),
            ("$states.input.*.Postcode", json!("SO21 2JN")),
            ("$states.input.**.Postcode", json!(["SO21 2JN", "E1 6RF"])),
            ("$states.input.FirstName & ' ' & $states.input.Surname", json!("Fred Smith")),
            ("$states.input.Address.(Street & ', ' & City)", json!("Hursley Park, Winchester")),
            ("$count($states.input.Phone)", json!(4)),
            ("$count($states.input.Phone[type='office'])", json!(2)),
            ("$states.input.Phone.type = 'home'", json!(false)),
            ("'home' in $states.input.Phone.type", json!(true)),
            ("$states.input.Phone[number = '077 7700 1234'].type", json!("mobile")),
            ("$states.input.Phone[$contains(number, '544')].type", json!("home")),
        ],
    );
    check_undefined(&a, &["$states.input.Other.Nothing", "$states.input.Phone[8]", "$states.input.Phone[type='fax']"]);

    let n = json!({"arr": [1], "many": [1, 2, 3], "nested": [{"a": 1}, {"a": [2, 3]}, {"b": 4}], "m": [[1, 2], [3, 4]],
                   "deep": [[{"x": 1}], [{"x": 2}]]});
    check_all(
        &n,
        &[
            ("$states.input.arr", json!([1])),
            ("$states.input.arr[0]", json!(1)),
            ("$states.input.many[-1]", json!(3)),
            ("$states.input.nested.a", json!([1, 2, 3])),
            ("$states.input.nested[0].a", json!(1)),
            ("$states.input.nested[0].a[]", json!([1])),
            ("$states.input.nested.b", json!(4)),
            ("$states.input.m[0]", json!([1, 2])),
            ("$states.input.m[0][1]", json!(2)),
            ("$states.input.m.$", json!([1, 2, 3, 4])),
            ("$states.input.m[1]", json!([3, 4])),
            ("$states.input.deep.x", json!([1, 2])),
            ("$states.input.many[$ > 1]", json!([2, 3])),
            ("$states.input.many[$ % 2 = 1]", json!([1, 3])),
            ("$states.input.many[[-1, 0]]", json!([1, 3])),
            ("[$states.input.many]", json!([1, 2, 3])),
            ("[$states.input.many, 4]", json!([1, 2, 3, 4])),
            ("[[$states.input.many], 4]", json!([[1, 2, 3], 4])),
            ("$states.input.many.($ * 10)", json!([10, 20, 30])),
        ],
    );
}

#[test]
fn array_and_object_constructors() {
    let i = json!({"x": 1});
    check_all(
        &i,
        &[
            ("[1, 2, 3]", json!([1, 2, 3])),
            ("[1, [2, 3]]", json!([1, [2, 3]])),
            ("[[1]]", json!([[1]])),
            ("[]", json!([])),
            ("[1, $nothing, 2]", json!([1, 2])),
            ("[1..5]", json!([1, 2, 3, 4, 5])),
            ("[0, 4..6, 9]", json!([0, 4, 5, 6, 9])),
            ("[5..2]", json!([])),
            ("[1..1]", json!([1])),
            ("[1..3][$ != 2]", json!([1, 3])),
            ("[1, 2, 3][0]", json!(1)),
            ("[1, 2, 3][-1]", json!(3)),
            ("[1..3].($ * 2)", json!([2, 4, 6])),
            ("[1..10][[2..4]]", json!([3, 4, 5])),
            ("$count([1..100])", json!(100)),
            ("{\"a\": 1, \"b\": [1, 2]}", json!({"a": 1, "b": [1, 2]})),
            ("{\"a\": $nothing, \"b\": 2}", json!({"b": 2})),
            ("{\"k\" & \"ey\": $states.input.x}", json!({"key": 1})),
            ("{}", json!({})),
            ("{\"a\": {\"b\": [1, {\"c\": null}]}}.a.b[1].c", json!(null)),
        ],
    );
    // JavaScript property order: array-index keys first, ascending.
    let v = json_of("{\"b\": 1, \"a\": 2, \"10\": 3, \"2\": 4}", &i).unwrap();
    assert_eq!(v.to_string(), r#"{"2":4,"10":3,"b":1,"a":2}"#);
}

#[test]
fn grouping_and_reduction() {
    let a = address();
    check_all(
        &a,
        &[
            (
                "$states.input.Phone.{type: number}",
                json!([{"home": "0203 544 1234"}, {"office": "01962 001234"}, {"office": "01962 001235"}, {"mobile": "077 7700 1234"}]),
            ),
            (
                "$states.input.Phone{type: number}",
                json!({"home": "0203 544 1234", "office": ["01962 001234", "01962 001235"], "mobile": "077 7700 1234"}),
            ),
            (
                "$states.input.Phone{type: number[]}",
                json!({"home": ["0203 544 1234"], "office": ["01962 001234", "01962 001235"], "mobile": ["077 7700 1234"]}),
            ),
            ("$states.input.Phone{type: $count(number)}", json!({"home": 1, "office": 2, "mobile": 1})),
        ],
    );
    let acc = account();
    check_all(
        &acc,
        &[
            (
                "$states.input.Account.Order.Product{`Product Name`: Price}",
                json!({"Bowler Hat": [34.45, 34.45], "Trilby hat": 21.67, "Cloak": 107.99}),
            ),
            (
                "$states.input.Account.Order.Product{`Product Name`: $sum(Quantity)}",
                json!({"Bowler Hat": 6, "Trilby hat": 1, "Cloak": 1}),
            ),
            (
                "$states.input.Account.Order.{OrderID: $sum(Product.(Price * Quantity))}",
                json!([{"order103": 34.45 * 2.0 + 21.67}, {"order104": 34.45 * 4.0 + 107.99}]),
            ),
        ],
    );
}

#[test]
fn account_examples() {
    let acc = account();
    check_all(
        &acc,
        &[
            (&format!("{P}.Price"), json!([34.45, 21.67, 34.45, 107.99])),
            ("$states.input.Account.Order[0].Product[0].`Product Name`", json!("Bowler Hat")),
            ("$states.input.Account.Order.Product[0].SKU", json!(["0406654608", "040657863"])),
            ("($states.input.Account.Order.Product)[0].SKU", json!("0406654608")),
            ("$states.input.Account.Order.OrderID", json!(["order103", "order104"])),
            ("$states.input.Account.Order[0].OrderID[]", json!(["order103"])),
            (&format!("{P}.(Price * Quantity)"), json!([34.45 * 2.0, 21.67, 34.45 * 4.0, 107.99])),
            (&format!("$sum({P}.(Price * Quantity))"), json!(((34.45 * 2.0 + 21.67) + 34.45 * 4.0) + 107.99)),
            (&format!("{P}[Price > 30].`Product Name`"), json!(["Bowler Hat", "Bowler Hat", "Cloak"])),
            ("$states.input.Account.Order[OrderID = 'order104'].Product.Price", json!([34.45, 107.99])),
            (&format!("{P}^(Price).Price"), json!([21.67, 34.45, 34.45, 107.99])),
            (&format!("{P}^(>Price).Price"), json!([107.99, 34.45, 34.45, 21.67])),
            (&format!("{P}^(>Price, Quantity).Quantity"), json!([1, 2, 4, 1])),
            (&format!("{P}^(`Product Name`)[0].`Product Name`"), json!("Bowler Hat")),
            (&format!("$count({P}^(Price))"), json!(4)),
            ("$states.input.Account.**.Colour", json!(["Purple", "Orange", "Purple", "Black"])),
            (&format!("$distinct({P}.`Product Name`)"), json!(["Bowler Hat", "Trilby hat", "Cloak"])),
            (&format!("$max({P}.Price)"), json!(107.99)),
            (&format!("$min({P}.Description.Weight)"), json!(0.6)),
            (&format!("$average({P}.Quantity)"), json!(2)),
            (&format!("$string({P}[0].ProductID)"), json!("[858383,858383]")),
            (&format!("$string(({P})[0].ProductID)"), json!("858383")),
            (&format!("$keys({P}[0].Description)"), json!(["Colour", "Width", "Height", "Depth", "Weight"])),
        ],
    );
}

#[test]
fn parent_operator() {
    let acc = account();
    check_all(
        &acc,
        &[
            (&format!("{P}.%.OrderID"), json!(["order103", "order103", "order104", "order104"])),
            (
                &format!("{P}.{{ 'Product': `Product Name`, 'Order': %.OrderID, 'Account': %.%.`Account Name` }}"),
                json!([
                    {"Product": "Bowler Hat", "Order": "order103", "Account": "Firefly"},
                    {"Product": "Trilby hat", "Order": "order103", "Account": "Firefly"},
                    {"Product": "Bowler Hat", "Order": "order104", "Account": "Firefly"},
                    {"Product": "Cloak", "Order": "order104", "Account": "Firefly"}
                ]),
            ),
            (
                &format!("{P}.[`Product Name`, %.OrderID]"),
                json!([
                    "Bowler Hat",
                    "order103",
                    "Trilby hat",
                    "order103",
                    "Bowler Hat",
                    "order104",
                    "Cloak",
                    "order104"
                ]),
            ),
            (&format!("{P}[%.OrderID='order104'].SKU"), json!(["040657863", "0406654603"])),
            (
                &format!("{P}.{{ %.OrderID: Price * Quantity }}"),
                json!([{"order103": 34.45 * 2.0}, {"order103": 21.67}, {"order104": 34.45 * 4.0}, {"order104": 107.99}]),
            ),
            (
                &format!("{P}.{{ `Product Name`: [Quantity, %.OrderID] }}"),
                json!([
                    {"Bowler Hat": [2, "order103"]},
                    {"Trilby hat": [1, "order103"]},
                    {"Bowler Hat": [4, "order104"]},
                    {"Cloak": [1, "order104"]}
                ]),
            ),
        ],
    );
}

#[test]
fn focus_and_index_bindings() {
    let lib = library();
    check_all(
        &lib,
        &[
            (
                "$states.input.library.books#$i['Kernighan' in authors].{ 'title': title, 'index': $i }",
                json!([{"title": "The C Programming Language", "index": 1}, {"title": "The AWK Programming Language", "index": 2}]),
            ),
            (
                "$states.input.library.loans@$l.books@$b[$l.isbn=$b.isbn].{ 'title': $b.title, 'customer': $l.customer }",
                json!([
                    {"title": "Structure and Interpretation of Computer Programs", "customer": "10001"},
                    {"title": "Compilers: Principles, Techniques, and Tools", "customer": "10003"},
                    {"title": "Structure and Interpretation of Computer Programs", "customer": "10003"}
                ]),
            ),
            (
                "$states.input.library.loans@$l.books@$b[$l.isbn=$b.isbn].customers[$l.customer=id].{ 'customer': name, 'book': $b.title }",
                json!([
                    {"customer": "Joe Doe", "book": "Structure and Interpretation of Computer Programs"},
                    {"customer": "Jason Arthur", "book": "Compilers: Principles, Techniques, and Tools"},
                    {"customer": "Jason Arthur", "book": "Structure and Interpretation of Computer Programs"}
                ]),
            ),
            (
                "$states.input.library.books^(title)#$pos[$pos < 2].title",
                json!([
                    "Compilers: Principles, Techniques, and Tools",
                    "Structure and Interpretation of Computer Programs"
                ]),
            ),
            ("$states.input.library.books#$i[$i = 3].isbn", json!("9780201100884")),
            (
                "$states.input.library.books@$b.loans[isbn = $b.isbn]{$b.title: customer}",
                json!({
                    "Structure and Interpretation of Computer Programs": ["10001", "10003"],
                    "Compilers: Principles, Techniques, and Tools": "10003"
                }),
            ),
        ],
    );
}

#[test]
fn functions_lambdas_and_chaining() {
    let i = json!({"s": "  Hello World  ", "n": [1, 2, 3, 4]});
    check_all(
        &i,
        &[
            ("(function($x){ $x * 2 })(21)", json!(42)),
            ("λ($x){ $x * 2 }(4)", json!(8)),
            ("($mk := function($n){ function($x){ $x + $n } }; $add2 := $mk(2); $add2(40))", json!(42)),
            ("($first5 := $substring(?, 0, 5); $first5(\"Hello World\"))", json!("Hello")),
            ("($add := function($a, $b){ $a + $b }; $inc := $add(?, 1); $inc(41))", json!(42)),
            ("($pow2 := $power(2, ?); $map([1, 2, 3], $pow2))", json!([2, 4, 8])),
            ("\"hello\" ~> $uppercase()", json!("HELLO")),
            ("$states.input.s ~> $trim() ~> $uppercase()", json!("HELLO WORLD")),
            ("($f := $trim ~> $uppercase; $f(\"  x \"))", json!("X")),
            ("$states.input.n ~> $map(function($v){ $v * $v }) ~> $sum()", json!(30)),
            ("[1, 2] ~> $append(3)", json!([1, 2, 3])),
            ("($sq := function($x){ $x * $x }; 5 ~> $sq)", json!(25)),
            ("function($x)<n:n>{ $x + 1 }(1)", json!(2)),
            ("($fact := function($n){ $n <= 1 ? 1 : $n * $fact($n - 1) }; $fact(10))", json!(3628800)),
            (
                "($fib := function($n){ $n < 2 ? $n : $fib($n - 1) + $fib($n - 2) }; [0..10].$fib($))",
                json!([0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55]),
            ),
        ],
    );
    check_all(
        &i,
        &[
            (
                "($sum := function($n, $acc){ $n = 0 ? $acc : $sum($n - 1, $acc + $n) }; $sum(100000, 0))",
                json!(5000050000i64),
            ),
            (
                "($even := function($n){ $n = 0 ? true : $odd($n - 1) }; $odd := function($n){ $n = 0 ? false : $even($n - 1) }; $even(10001))",
                json!(false),
            ),
            ("($deep := function($n){ $n <= 0 ? 0 : 1 + $deep($n - 1) }; $deep(400))", json!(400)),
            ("($x := 1; $f := function(){ $x }; $x := 2; $f())", json!(2)),
            ("($v := 'outer'; $g := function($v){ $v }; [$g('inner'), $v])", json!(["inner", "outer"])),
        ],
    );
    check_undefined(&i, &["($f := function($a, $b){ $b }; $f(1))", "$map([], function($v){ $v })"]);
}

#[test]
fn higher_order_functions() {
    let i = json!({"o": {"a": 1, "b": 2, "c": 3}});
    check_all(
        &i,
        &[
            ("$map([1, 2, 3], function($v){ $v * 2 })", json!([2, 4, 6])),
            ("$map([1, 2, 3], function($v, $i){ $i })", json!([0, 1, 2])),
            ("$map([1, 2, 3], function($v, $i, $a){ $count($a) })", json!([3, 3, 3])),
            ("$map([1], function($v){ $v })", json!(1)),
            ("$map([1, 2], $string)", json!(["1", "2"])),
            ("$map([1, 2, 3], function($v){ $v > 1 ? $v })", json!([2, 3])),
            ("$filter([1, 2, 3, 4], function($v){ $v % 2 = 0 })", json!([2, 4])),
            ("$filter([1, 2, 3, 4], function($v, $i){ $i < 2 })", json!([1, 2])),
            ("$reduce([1, 2, 3, 4], function($acc, $v){ $acc + $v })", json!(10)),
            ("$reduce([1, 2, 3], function($acc, $v){ $acc * $v }, 10)", json!(60)),
            ("$reduce([1, 2, 3], function($acc, $v, $i){ $acc + $i }, 0)", json!(3)),
            ("$single([1, 2, 3], function($v){ $v = 2 })", json!(2)),
            ("$single([7])", json!(7)),
            ("$sift($states.input.o, function($v){ $v > 1 })", json!({"b": 2, "c": 3})),
            ("$sift($states.input.o, function($v, $k){ $k = 'a' })", json!({"a": 1})),
            ("$each($states.input.o, function($v, $k){ $k & '=' & $v })", json!(["a=1", "b=2", "c=3"])),
            ("$sort([3, 1, 2])", json!([1, 2, 3])),
            ("$sort([\"b\", \"a\", \"C\"])", json!(["C", "a", "b"])),
            ("$sort([{\"n\": 2}, {\"n\": 1}], function($a, $b){ $a.n > $b.n })", json!([{"n": 1}, {"n": 2}])),
            ("$sort([3, 1, 2], function($a, $b){ $a < $b })", json!([3, 2, 1])),
            ("[3, 1, 2]^($)", json!([1, 2, 3])),
            ("[3, 1, 2]^(>$)", json!([3, 2, 1])),
            ("$zip([1, 2, 3], [4, 5])", json!([[1, 4], [2, 5]])),
            ("$zip([1, 2], [3, 4], [5, 6])", json!([[1, 3, 5], [2, 4, 6]])),
        ],
    );
    check_undefined(&i, &["$sift($states.input.o, function($v){ $v > 5 })", "$filter([1, 2], function($v){ $v > 5 })"]);
}

#[test]
fn object_and_array_functions() {
    let i = json!({"o": {"a": 1, "b": 2}});
    check_all(
        &i,
        &[
            ("$keys($states.input.o)", json!(["a", "b"])),
            ("$keys({\"a\": 1})", json!("a")),
            ("$keys([{\"a\": 1}, {\"b\": 2, \"a\": 3}])", json!(["a", "b"])),
            ("$lookup($states.input.o, \"b\")", json!(2)),
            ("$lookup([{\"a\": 1}, {\"a\": 2}], \"a\")", json!([1, 2])),
            ("$spread($states.input.o)", json!([{"a": 1}, {"b": 2}])),
            ("$merge([{\"a\": 1}, {\"b\": 2}, {\"a\": 3}])", json!({"a": 3, "b": 2})),
            ("$append([1, 2], [3])", json!([1, 2, 3])),
            ("$append(1, 2)", json!([1, 2])),
            ("$append([], 1)", json!([1])),
            ("$append(\"a\", [])", json!(["a"])),
            ("$append($nothing, [1])", json!([1])),
            ("$reverse([1, 2, 3])", json!([3, 2, 1])),
            ("$distinct([1, 2, 1, \"a\", \"a\", [1], [1], {\"x\": 1}, {\"x\": 1}])", json!([1, 2, "a", [1], {"x": 1}])),
            ("$count([1, 2, 3])", json!(3)),
            ("$count($nothing)", json!(0)),
            ("$count(5)", json!(1)),
            ("$sum([1, 2, 3])", json!(6)),
            ("$sum([])", json!(0)),
            ("$sum(5)", json!(5)),
            ("$max([1, 5, 3])", json!(5)),
            ("$min([4, -2, 3])", json!(-2)),
            ("$average([1, 2, 3, 4])", json!(2.5)),
            ("$exists($nothing)", json!(false)),
            ("$exists(0)", json!(true)),
            ("$exists(null)", json!(true)),
            ("$type(1)", json!("number")),
            ("$type(\"s\")", json!("string")),
            ("$type([])", json!("array")),
            ("$type({})", json!("object")),
            ("$type(null)", json!("null")),
            ("$type(true)", json!("boolean")),
            ("$type(function(){ 1 })", json!("function")),
            ("$type($uppercase)", json!("function")),
            ("$count($shuffle([1, 2, 3, 4]))", json!(4)),
            ("$sort($shuffle([1, 2, 3, 4]))", json!([1, 2, 3, 4])),
        ],
    );
    check_undefined(&i, &["$max([])", "$average([])", "$type($nothing)", "$merge($nothing)", "$reverse($nothing)"]);
}

#[test]
fn boolean_functions() {
    let i = json!({});
    check_all(
        &i,
        &[
            ("$boolean(\"\")", json!(false)),
            ("$boolean(\"0\")", json!(true)),
            ("$boolean(0)", json!(false)),
            ("$boolean(-0.5)", json!(true)),
            ("$boolean(null)", json!(false)),
            ("$boolean([])", json!(false)),
            ("$boolean([0])", json!(false)),
            ("$boolean([0, 1])", json!(true)),
            ("$boolean([[]])", json!(false)),
            ("$boolean({})", json!(false)),
            ("$boolean({\"a\": 0})", json!(true)),
            ("$boolean(function(){ 1 })", json!(false)),
            ("$not(1)", json!(false)),
            ("$not(\"\")", json!(true)),
        ],
    );
    check_undefined(&i, &["$boolean($nothing)", "$not($nothing)"]);
}

#[test]
fn string_functions() {
    let i = json!({"name": "Hello World"});
    check_all(
        &i,
        &[
            ("$string(1)", json!("1")),
            ("$string(1.0)", json!("1")),
            ("$string(-0)", json!("0")),
            ("$string(1e21)", json!("1e+21")),
            ("$string(1e-7)", json!("1e-7")),
            ("$string(0.000001)", json!("0.000001")),
            ("$string(0.1 + 0.2)", json!("0.3")),
            ("$string(1/3)", json!("0.333333333333333")),
            ("$string(123456789012345678)", json!("123456789012346000")),
            ("$string(true)", json!("true")),
            ("$string(null)", json!("null")),
            ("$string(\"x\")", json!("x")),
            ("$string([1, 2.50, \"x\"])", json!("[1,2.5,\"x\"]")),
            ("$string({\"a\": [1, 2], \"b\": \"c\\n\"})", json!("{\"a\":[1,2],\"b\":\"c\\n\"}")),
            ("$string({\"a\": 1}, true)", json!("{\n  \"a\": 1\n}")),
            ("$string(function(){ 1 })", json!("")),
            ("$string({\"f\": $uppercase})", json!("{\"f\":\"\"}")),
            ("$length(\"hello\")", json!(5)),
            ("$length(\"héllo\")", json!(5)),
            ("$length(\"\")", json!(0)),
            ("$substring($states.input.name, 3)", json!("lo World")),
            ("$substring($states.input.name, 3, 5)", json!("lo Wo")),
            ("$substring($states.input.name, -4)", json!("orld")),
            ("$substring($states.input.name, -4, 2)", json!("or")),
            ("$substring($states.input.name, 0, 0)", json!("")),
            ("$substring($states.input.name, 100)", json!("")),
            ("$substringBefore($states.input.name, \" \")", json!("Hello")),
            ("$substringAfter($states.input.name, \" \")", json!("World")),
            ("$substringBefore(\"abc\", \"x\")", json!("abc")),
            ("$substringAfter(\"abc\", \"x\")", json!("abc")),
            ("$uppercase(\"Hello\")", json!("HELLO")),
            ("$uppercase(\"straße\")", json!("STRASSE")),
            ("$lowercase(\"ÀB\")", json!("àb")),
            ("$trim(\"  Hello  \\n World  \")", json!("Hello World")),
            ("$pad(\"5\", 3, \"0\")", json!("500")),
            ("$pad(\"5\", -3, \"0\")", json!("005")),
            ("$pad(\"abc\", 5)", json!("abc  ")),
            ("$pad(\"x\", -5, \"#*\")", json!("#*#*x")),
            ("$pad(\"abcdef\", 3)", json!("abcdef")),
            ("$contains(\"abracadabra\", \"bra\")", json!(true)),
            ("$contains(\"abracadabra\", \"xyz\")", json!(false)),
            ("$split(\"a,b,c\", \",\")", json!(["a", "b", "c"])),
            ("$split(\"a,b,c\", \",\", 2)", json!(["a", "b"])),
            ("$split(\"abc\", \"\")", json!(["a", "b", "c"])),
            ("$split(\"a,b\", \";\")", json!(["a,b"])),
            ("$join([\"a\", \"b\", \"c\"], \"-\")", json!("a-b-c")),
            ("$join([\"a\", \"b\"])", json!("ab")),
            ("$join(\"a\", \",\")", json!("a")),
            ("$replace(\"John Smith and John Jones\", \"John\", \"Mr\")", json!("Mr Smith and Mr Jones")),
            ("$replace(\"John Smith and John Jones\", \"John\", \"Mr\", 1)", json!("Mr Smith and John Jones")),
            ("$replace(\"abc\", \"x\", \"y\")", json!("abc")),
            ("$states.input.name ~> $substringAfter(\"o\") ~> $trim()", json!("World")),
            ("$base64encode(\"myuser:mypass\")", json!("bXl1c2VyOm15cGFzcw==")),
            ("$base64decode(\"bXl1c2VyOm15cGFzcw==\")", json!("myuser:mypass")),
            ("$base64encode(\"Data to encode\")", json!("RGF0YSB0byBlbmNvZGU=")),
            ("$base64decode(\"RGF0YSB0byBlbmNvZGU=\")", json!("Data to encode")),
            ("$base64encode(\"\")", json!("")),
            ("$base64encode(\"é\")", json!("6Q==")),
            ("$encodeUrlComponent(\"?x=test\")", json!("%3Fx%3Dtest")),
            (
                "$encodeUrl(\"https://mozilla.org/?x=шеллы\")",
                json!("https://mozilla.org/?x=%D1%88%D0%B5%D0%BB%D0%BB%D1%8B"),
            ),
            ("$decodeUrlComponent(\"%3Fx%3Dtest\")", json!("?x=test")),
            (
                "$decodeUrl(\"https://mozilla.org/?x=%D1%88%D0%B5%D0%BB%D0%BB%D1%8B\")",
                json!("https://mozilla.org/?x=шеллы"),
            ),
            ("$decodeUrl(\"a%2Fb%20c\")", json!("a%2Fb c")),
        ],
    );
    check_undefined(&i, &["$string($nothing)", "$uppercase($nothing)", "$substring($nothing, 1)", "$length($nothing)"]);
}

#[test]
fn regular_expressions() {
    let i = json!({"s": "ababbabbcc"});
    check_all(
        &i,
        &[
            (
                "$match($states.input.s, /a(b+)/)",
                json!([
                    {"match": "ab", "index": 0, "groups": ["b"]},
                    {"match": "abb", "index": 2, "groups": ["bb"]},
                    {"match": "abb", "index": 5, "groups": ["bb"]}
                ]),
            ),
            ("$match($states.input.s, /a(b+)/, 1)", json!({"match": "ab", "index": 0, "groups": ["b"]})),
            ("$match(\"John Smith\", /(\\w+) (\\w+)/).groups", json!(["John", "Smith"])),
            ("$contains(\"abracadabra\", /a.*a/)", json!(true)),
            ("$contains(\"abc\", /^b/)", json!(false)),
            ("$contains(\"HELLO\", /hello/i)", json!(true)),
            ("$match(\"a\\nb\", /^b/m).index", json!(2)),
            ("$split(\"a1b22c\", /\\d+/)", json!(["a", "b", "c"])),
            ("$split(\"a1b22c\", /\\d+/, 2)", json!(["a", "b"])),
            ("$replace(\"abracadabra\", /a.*?a/, \"*\")", json!("*c*bra")),
            ("$replace(\"John Smith\", /(\\w+)\\s(\\w+)/, \"$2, $1\")", json!("Smith, John")),
            ("$replace(\"265USD\", /([0-9]+)USD/, \"$$$1\")", json!("$265")),
            ("$replace(\"abcd\", /(b)(c)/, \"[$0|$2$1|$3]\")", json!("a[bc|cb|]d")),
            (
                "$replace(\"temperature = 68F today\", /(\\d+)F/, function($m) { ($number($m.groups[0]) - 32) * 5/9 & \"C\" })",
                json!("temperature = 20C today"),
            ),
            ("$replace(\"aaa\", /a/, \"b\", 2)", json!("bba")),
            ("[\"apple\", \"banana\", \"avocado\"][$contains($, /^a/)]", json!(["apple", "avocado"])),
            ("$match(\"😀x\", /x/).index", json!(2)),
            ("/(\\d+)/(\"ab12cd\").match", json!("12")),
            ("$count($match(\"a1b2c3\", /\\d/))", json!(3)),
        ],
    );
    check_undefined(&i, &["$match(\"abc\", /x/)"]);
}

#[test]
fn numeric_functions() {
    let i = json!({});
    check_all(
        &i,
        &[
            ("$number(\"1e3\")", json!(1000)),
            ("$number(\"-1.5\")", json!(-1.5)),
            ("$number(\"0x1A\")", json!(26)),
            ("$number(\"0b101\")", json!(5)),
            ("$number(true)", json!(1)),
            ("$number(false)", json!(0)),
            ("$number(5)", json!(5)),
            ("$floor(-1.5)", json!(-2)),
            ("$ceil(1.1)", json!(2)),
            ("$abs(-3)", json!(3)),
            ("$round(2.5)", json!(2)),
            ("$round(3.5)", json!(4)),
            ("$round(-2.5)", json!(-2)),
            ("$round(123.456, 2)", json!(123.46)),
            ("$round(123.456, -1)", json!(120)),
            ("$round(125, -1)", json!(120)),
            ("$round(0.125, 2)", json!(0.12)),
            ("$power(2, 10)", json!(1024)),
            ("$power(4, 0.5)", json!(2)),
            ("$sqrt(16)", json!(4)),
            ("$formatNumber(12345.6, \"#,###.00\")", json!("12,345.60")),
            ("$formatNumber(1234.5678, \"00.000e0\")", json!("12.346e2")),
            ("$formatNumber(34.555, \"#0.00;(#0.00)\")", json!("34.56")),
            ("$formatNumber(-34.555, \"#0.00;(#0.00)\")", json!("(34.56)")),
            ("$formatNumber(0.14, \"01%\")", json!("14%")),
            (
                "$formatNumber(1234.5678, \"#.##0,00\", {\"decimal-separator\": \",\", \"grouping-separator\": \".\"})",
                json!("1.234,57"),
            ),
            ("$formatNumber(42, \"000\")", json!("042")),
            ("$formatBase(100, 2)", json!("1100100")),
            ("$formatBase(2555, 16)", json!("9fb")),
            ("$formatBase(-10, 2)", json!("-1010")),
            ("$formatInteger(2789, \"w\")", json!("two thousand, seven hundred and eighty-nine")),
            ("$formatInteger(1999, \"I\")", json!("MCMXCIX")),
            ("$formatInteger(1234, \"#,##0\")", json!("1,234")),
            ("$formatInteger(3, \"Ww;o\")", json!("Third")),
            ("$parseInteger(\"twelve thousand, four hundred and seventy-six\", \"w\")", json!(12476)),
            ("$parseInteger(\"12,345,678\", \"#,##0\")", json!(12345678)),
            ("$parseInteger(\"MMXXIV\", \"I\")", json!(2024)),
            ("$random() >= 0 and $random() < 1", json!(true)),
        ],
    );
}

#[test]
fn date_time_functions() {
    let i = json!({});
    check_all(
        &i,
        &[
            ("$fromMillis(1510067557121)", json!("2017-11-07T15:12:37.121Z")),
            ("$toMillis(\"2017-11-07T15:07:54.972Z\")", json!(1510067274972i64)),
            ("$toMillis(\"2017-11-07\")", json!(1510012800000i64)),
            ("$fromMillis(1510067557121, \"[M01]/[D01]/[Y0001] [h#1]:[m01][P]\")", json!("11/07/2017 3:12pm")),
            ("$fromMillis(1510067557121, \"[H01]:[m01]:[s01] [z]\", \"-0500\")", json!("10:12:37 GMT-05:00")),
            ("$fromMillis(1510067557121, \"[FNn], [D1o] [MNn] [Y]\")", json!("Tuesday, 7th November 2017")),
            ("$fromMillis(0, \"[Y0001]-[M01]-[D01]\", \"+0100\")", json!("1970-01-01")),
            ("$toMillis(\"2018-03-01\", \"[Y]-[M]-[D]\")", json!(1519862400000i64)),
            ("$toMillis($fromMillis(1234567890123))", json!(1234567890123i64)),
            ("$now() = $now()", json!(true)),
            ("$toMillis($now()) = $millis()", json!(true)),
            ("$type($millis())", json!("number")),
            ("$contains($now(), /^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$/)", json!(true)),
        ],
    );
}

#[test]
fn transforms() {
    let acc = account();
    check_all(
        &acc,
        &[
            (
                "($states.input ~> |Account.Order.Product|{'Total': Price * Quantity}, ['Description', 'SKU']|).Account.Order.Product.Total",
                json!([34.45 * 2.0, 21.67, 34.45 * 4.0, 107.99]),
            ),
            (
                "$count(($states.input ~> |Account.Order.Product|{}, 'Description'|).Account.Order.Product.Description)",
                json!(0),
            ),
            (
                "($t := |Account.Order.Product|{'X': 1}|; $t($states.input); $count($states.input.Account.Order.Product.X))",
                json!(0),
            ),
            ("($states.input.Account.Order[0] ~> |Product|{'Price': 0}|).Product.Price", json!([0, 0])),
            ("($states.input ~> |Account.Order|{'Count': $count(Product)}|).Account.Order.Count", json!([2, 2])),
            ("({\"a\": 1, \"b\": {\"c\": 2}} ~> |b|{\"d\": 3}, \"c\"|)", json!({"a": 1, "b": {"d": 3}})),
            ("({\"a\": 1} ~> |$|{\"a\": 2, \"b\": 3}|)", json!({"a": 2, "b": 3})),
            ("([{\"a\": 1}, {\"a\": 2}] ~> |$[a = 2]|{\"z\": true}|)", json!([{"a": 1}, {"a": 2, "z": true}])),
            ("({\"a\": 1} ~> |$|{}, [\"a\"]|)", json!({})),
            ("({\"n\": 0.1 + 0.2} ~> |$|{}|).n", json!(0.3)),
        ],
    );
    check_undefined(&acc, &["$nothing ~> |$|{}|"]);
}

#[test]
fn bindings_and_variables() {
    let input = json!({"a": 1});
    let ctx = context();
    let result = json!({"Payload": {"ok": true}});
    let count = json!(41);
    let shadow = json!("not a function");
    let vars = json!({"orderId": "o-1", "items": [1, 2, 3]});
    let lookup = |name: &str| vars.get(name);
    let b = Bindings::new()
        .with_states(&input, &ctx, Some(&result), None)
        .with("count", &count)
        .with("string", &shadow)
        .with_lookup(&lookup);
    let run = |expr: &str| {
        let e = parse_with_options(expr, ParseOptions::JSONATA_2_0_6).unwrap();
        evaluate(&e, &b).map(|v| v.map(|v| to_json(Some(v)).unwrap()))
    };
    assert_eq!(run("$states.input.a + $count").unwrap(), Some(json!(42)));
    assert_eq!(run("$states.result.Payload.ok").unwrap(), Some(json!(true)));
    assert_eq!(run("$states.context.Execution.Name").unwrap(), Some(json!("run")));
    assert_eq!(run("$states.errorOutput").unwrap(), None);
    assert_eq!(run("$orderId & ':' & $sum($items)").unwrap(), Some(json!("o-1:6")));
    // A workflow variable shadows the built-in of the same name, as jsonata-js bindings do.
    assert_eq!(run("$string").unwrap(), Some(json!("not a function")));
    assert_eq!(run("$string(1)").unwrap_err().code, "T1006");
    assert_eq!(run("$unknown").unwrap(), None);
    assert_eq!(run("$keys($states)").unwrap(), Some(json!(["input", "context", "result"])));
    // Values bound directly as JSONata values.
    let f =
        evaluate(&parse_with_options("function($x){ $x * 3 }", ParseOptions::JSONATA_2_0_6).unwrap(), &Bindings::new())
            .unwrap()
            .unwrap();
    let b2 = Bindings::new().with_value("triple", f);
    let e = parse_with_options("$triple(14)", ParseOptions::JSONATA_2_0_6).unwrap();
    assert_eq!(to_json(evaluate(&e, &b2).unwrap()).unwrap(), json!(42));
    let b3 = Bindings::new().with_value("v", JValue::from("x"));
    let e = parse_with_options("$v & $v", ParseOptions::JSONATA_2_0_6).unwrap();
    assert_eq!(to_json(evaluate(&e, &b3).unwrap()).unwrap(), json!("xx"));
}

#[test]
fn step_functions_functions_aws_recorded() {
    let i = json!({});
    // intrinsics_aws_recorded.md: test_array_jsonata.snapshot.json
    let partitions: &[(&str, usize, Value)] = &[
        ("[0]", 1, json!([[0]])),
        ("[0]", 2, json!([[0]])),
        ("[0, 1, 2]", 1, json!([[0], [1], [2]])),
        ("[0, 1, 2]", 2, json!([[0, 1], [2]])),
        ("[0, 1, 2]", 3, json!([[0, 1, 2]])),
        ("[0, 1, 2]", 4, json!([[0, 1, 2]])),
        ("[0, 1, 2]", 5, json!([[0, 1, 2]])),
        ("[0, 1, 2, 3]", 1, json!([[0], [1], [2], [3]])),
        ("[0, 1, 2, 3]", 2, json!([[0, 1], [2, 3]])),
        ("[0, 1, 2, 3]", 3, json!([[0, 1, 2], [3]])),
        ("[0, 1, 2, 3]", 4, json!([[0, 1, 2, 3]])),
        ("[0, 1, 2, 3]", 5, json!([[0, 1, 2, 3]])),
        ("[0]", 3, json!([[0]])),
        ("[0]", 4, json!([[0]])),
        ("[0]", 5, json!([[0]])),
        ("[0, 1]", 1, json!([[0], [1]])),
        ("[0, 1]", 2, json!([[0, 1]])),
        ("[0, 1]", 3, json!([[0, 1]])),
        ("[0, 1]", 4, json!([[0, 1]])),
        ("[0, 1]", 5, json!([[0, 1]])),
    ];
    for (arr, size, expected) in partitions {
        assert_eq!(json_of(&format!("$partition({arr}, {size})"), &i).as_ref(), Some(expected), "{arr} {size}");
    }
    check_all(
        &i,
        &[
            ("$partition([1, 2, 3, 4], 2)", json!([[1, 2], [3, 4]])),
            ("$partition([1, 2, 3], 2.9)", json!([[1, 2], [3]])),
            ("$partition([], 1)", json!([])),
            ("$range(0, 9, 3)", json!([0, 3, 6, 9])),
            ("$range(0, 10, 3)", json!([0, 3, 6, 9])),
            ("$range(1, 9, 9)", json!(1)),
            ("$range(1, 9, 2)", json!([1, 3, 5, 7, 9])),
            ("$range(0, 6, 2)", json!([0, 2, 4, 6])),
            ("$range(5, 1, -2)", json!([5, 3, 1])),
            ("$range(0.9, 3.5, 1.9)", json!([0, 1, 2, 3])),
            ("$hash(\"input data\", \"MD5\")", json!("812f45842bc6d66ee14572ce20db8e86")),
            ("$hash(\"input data\", \"SHA-1\")", json!("aaff4a450a104cd177d28d18d74485e8cae074b7")),
            (
                "$hash(\"input data\", \"SHA-256\")",
                json!("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
            ),
            (
                "$hash(\"input data\", \"SHA-384\")",
                json!(
                    "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"
                ),
            ),
            (
                "$hash(\"input data\", \"SHA-512\")",
                json!(
                    "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"
                ),
            ),
            ("$hash(\"input\", \"SHA-1\")", json!("140f86aae51ab9e1cda9b4254fe98a74eb54c1a1")),
            ("$random(42)", json!(0.7275636800328681)),
            ("$random(42.9) = $random(42)", json!(true)),
            ("$parse(\"-0\")", json!(0)),
            ("$parse(\"1\")", json!(1)),
            ("$parse(\"1.1\")", json!(1.1)),
            ("$parse(\"true\")", json!(true)),
            ("$parse(\"\\\"HelloWorld\\\"\")", json!("HelloWorld")),
            ("$parse(\"[1, 2, \\\"HelloWorld\\\"]\")", json!([1, 2, "HelloWorld"])),
            ("$parse(\"{\\\"Arg1\\\": 1, \\\"Arg2\\\": []}\")", json!({"Arg1": 1, "Arg2": []})),
            ("$parse(\"null\")", json!(null)),
            ("$string($parse(\"[1, 2, \\\"HelloWorld\\\"]\"))", json!("[1,2,\"HelloWorld\"]")),
            ("$length($uuid())", json!(36)),
            (
                "$contains($uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)",
                json!(true),
            ),
            ("$uuid() != $uuid()", json!(true)),
        ],
    );
    check_errors(
        &i,
        &[
            ("$randomSeeded(1)", "T1006"),
            ("$eval(\"1 + 1\")", "T1006"),
            ("$partition([1], 0)", "D3300"),
            ("$range(1, 5, 0)", "D3301"),
            ("$range(0, 5000, 1)", "D3301"),
            ("$hash(\"x\", \"SHA-3\")", "D3302"),
            ("$hash(1, \"MD5\")", "T0410"),
            ("$parse(\"{oops\")", "D3303"),
        ],
    );
}

#[test]
fn error_codes() {
    let acc = account();
    check_errors(
        &acc,
        &[
            ("\"s\" - 1", "T2001"),
            ("1 + \"s\"", "T2002"),
            ("1 + null", "T2002"),
            ("{} * 2", "T2001"),
            ("-\"s\"", "D1002"),
            ("$nothing()", "T1006"),
            ("(1)(2)", "T1006"),
            ("uppercase(\"x\")", "T1005"),
            ("$nothing(?)", "T1008"),
            ("1 ~> 2", "T2006"),
            ("1 < \"a\"", "T2009"),
            ("[1] < 2", "T2010"),
            ("true > false", "T2010"),
            ("$number(\"abc\")", "D3030"),
            ("$number(\"1,000\")", "D3030"),
            ("$number(null)", "T0410"),
            ("$string(1/0)", "D3001"),
            ("$string({\"a\": 1/0})", "D1001"),
            ("(1/0) + 1", "D1001"),
            ("[1..20000000]", "D2014"),
            ("[1.5..3]", "T2003"),
            ("[1..3.5]", "T2004"),
            ("$sum(\"a\")", "T0412"),
            ("$sum([1, \"a\"])", "T0412"),
            ("$substring(\"a\", \"b\")", "T0410"),
            ("$uppercase(1)", "T0410"),
            ("$count()", "T0410"),
            ("$exists()", "T0410"),
            ("$count(1, 2)", "T0410"),
            ("$map([1], 2)", "T0410"),
            ("function($x)<n:n>{ $x }(\"a\")", "T0410"),
            ("$error(\"boom\")", "D3137"),
            ("$error()", "D3137"),
            ("$assert(false, \"no\")", "D3141"),
            ("$assert(1 = 2)", "D3141"),
            ("$assert(1)", "T0410"),
            ("$single([1, 2])", "D3138"),
            ("$single([1, 2], function($v){ $v > 5 })", "D3139"),
            ("$reduce([1, 2], function($x){ $x })", "D3050"),
            ("{\"a\": 1, \"a\": 2}", "D1009"),
            ("{1: 2}", "T1003"),
            ("$replace(\"abc\", \"\", \"x\")", "D3010"),
            ("$replace(\"abc\", \"a\", \"x\", -1)", "D3011"),
            ("$replace(\"abc\", /b/, function($m){ 1 })", "D3012"),
            ("$split(\"a\", \",\", -1)", "D3020"),
            ("$match(\"a\", /a/, -1)", "D3040"),
            ("$match(\"ab\", /x*/)", "D1004"),
            ("$replace(\"ab\", /x*/, \"-\")", "D1004"),
            ("$sqrt(-1)", "D3060"),
            ("$power(10, 1000)", "D3061"),
            ("$formatBase(10, 1)", "D3100"),
            ("$formatNumber(1, \"#.0.0\")", "D3081"),
            ("$formatNumber(1, \"#;#;#\")", "D3080"),
            ("$formatInteger(1, \"x\")", "D3130"),
            ("$sort([1, \"a\"])", "D3070"),
            (&format!("{P}^(Description)"), "T2008"),
            ("[{\"a\": 1}, {\"a\": \"x\"}]^(a)", "T2007"),
            ("$states.input ~> |Account|\"x\"|", "T2011"),
            ("$states.input ~> |Account|{}, 1|", "T2012"),
            ("\"s\" ~> |$|{}|", "T0410"),
            ("($clone := 1; {} ~> |$|{}|)", "T2013"),
            ("$toMillis(\"foo\")", "D3110"),
            ("$decodeUrlComponent(\"%E0%A4%A\")", "D3140"),
            ("$fromMillis(0, \"[Q]\")", "D3132"),
            ("$fromMillis(0, \"[Y\")", "D3135"),
            ("($f := function($n){ $n + $f($n) }; $f(1))", "U1001"),
            // A non-terminating tail recursion runs in constant stack until the step budget.
            ("($inf := function(){ $inf() }; $inf())", "U1001"),
            ("($deep := function($n){ $n <= 0 ? 0 : 1 + $deep($n - 1) }; $deep(600))", "U1001"),
            ("$reduce([1..2000], function($a, $v){ {\"x\": $a} }, {})", "U1001"),
            // Evaluation nesting limit (nested blocks in a recursive function), reached on the
            // helper thread's stack without overflowing it.
            ("($f := function($n){ $n <= 0 ? 0 : ((((((((((((1 + $f($n - 1))))))))))))) }; $f(499))", "U1001"),
        ],
    );
}

#[test]
fn error_details() {
    let i = json!({});
    let e = ev("\"s\" - 1", &i).unwrap_err();
    assert_eq!(e.to_string(), "T2001: The left side of the \"-\" operator must evaluate to a number");
    assert_eq!(e.offset, 0);
    let e = ev("1 + 2 + $count(1, 2)", &i).unwrap_err();
    assert_eq!(e.to_string(), "T0410: Argument 2 of function \"count\" does not match function signature");
    assert_eq!(e.offset, 8);
    let e = ev("$randomSeeded(3)", &i).unwrap_err();
    assert_eq!(e.to_string(), "T1006: Attempted to invoke a non-function");
    let e = ev("$number(\"x\")", &i).unwrap_err();
    assert_eq!(e.to_string(), "D3030: Unable to cast value to a number: \"x\"");
    let e = ev("uppercase(\"x\")", &i).unwrap_err();
    assert_eq!(e.message, "Attempted to invoke a non-function. Did you mean $uppercase?");
    let e = ev("$error(\"custom failure\")", &i).unwrap_err();
    assert_eq!(e.to_string(), "D3137: custom failure");
    let e = ev("1 < \"a\"", &i).unwrap_err();
    assert_eq!(e.message, "The values 1 and \"a\" either side of operator \"<\" must be of the same data type");
}

#[test]
fn field_results() {
    let i = json!({});
    // AWS-recorded cause shapes (INVENTORY §2.5).
    let undefined = to_json(ev("$doesNotExist", &i).unwrap()).unwrap_err();
    assert_eq!(undefined, FieldError::Undefined);
    assert_eq!(
        undefined.cause("$doesNotExist", "Output"),
        "The JSONata expression '$doesNotExist' specified for the field 'Output' returned nothing (undefined)."
    );
    let function = to_json(ev("function($x){ $x }", &i).unwrap()).unwrap_err();
    assert_eq!(function, FieldError::UnsupportedType);
    assert_eq!(
        function.cause("$f", "Output/result"),
        "The JSONata expression '$f' specified for the field 'Output/result' returned an unsupported result type."
    );
    let err = FieldError::from(ev("$randomSeeded($states.input.FunctionInput.fst)", &i).unwrap_err());
    assert_eq!(
        err.cause("$randomSeeded($states.input.FunctionInput.fst)", "Output/FunctionResult"),
        "The JSONata expression '$randomSeeded($states.input.FunctionInput.fst)' specified for the field \
         'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function"
    );
    assert_eq!(
        to_json(ev("1/0", &i).unwrap()).unwrap_err(),
        FieldError::Eval(EvalError::new("D1001", "Number out of range: Infinity"))
    );
    assert_eq!(to_json(ev("[1, $uppercase, 2]", &i).unwrap()).unwrap(), json!([1, null, 2]));
    assert_eq!(to_json(ev("{\"a\": 1, \"f\": $uppercase}", &i).unwrap()).unwrap(), json!({"a": 1}));
    assert_eq!(to_json(ev("[1..3]", &i).unwrap()).unwrap(), json!([1, 2, 3]));
    assert_eq!(to_json(ev("2 * 1.5", &i).unwrap()).unwrap().to_string(), "3");
}

#[test]
fn no_panics_on_any_input() {
    // Deep nesting, odd combinations and random token soup: errors are fine, panics are not.
    let i = json!({"a": [1, {"b": [2, [3]]}], "s": "x"});
    let mut exprs: Vec<String> = vec![
        format!("{}1{}", "[".repeat(150), "]".repeat(150)),
        format!("{}1{}", "(".repeat(150), ")".repeat(150)),
        format!("{}1{}", "{\"a\":".repeat(100), "}".repeat(100)),
        format!("$states.input{}", ".a".repeat(150)),
        "$states.input.a.**.*.%".to_string(),
        "$states.input.a#$i@$v.b#$j[$i=$j]^($).%".to_string(),
        "$sort($states.input.a, function($x, $y){ $x.b })".to_string(),
        "$states.input ~> |**|{\"z\": %}|".to_string(),
        "$map($states.input.a, $map)".to_string(),
        "$reduce($states.input.a, $append)".to_string(),
        "$string($states)".to_string(),
        "$match($states.input.s, /(?:)/)".to_string(),
        "$replace(\"aaaa\", /(a*)*b/, \"x\")".to_string(),
        "$each($states, $each)".to_string(),
        "$zip($states.input.a, $keys($states))".to_string(),
        "$formatNumber(1e300, \"0.0e0\")".to_string(),
        "$formatNumber(-1, \"0e0\")".to_string(),
        "$formatNumber(0, \"#e0\")".to_string(),
        "$fromMillis(1e20)".to_string(),
        "$substring(\"abc\", 1e20, -1e20)".to_string(),
        "$pad(\"x\", 1e3, \"ab\")".to_string(),
        "$formatBase(1e300, 36)".to_string(),
        "$states.input.a[$ = $states.input.a]{$string($): $}".to_string(),
        "$fromMillis(0, '[Y]', '999999999999999999')".to_string(),
        "$toMillis('99999999999999999-1-1', '[Y]-[M]-[D]')".to_string(),
        "$toMillis('2020-1-99999999999999', '[Y]-[M]-[D]')".to_string(),
        "$formatInteger(1e18, 'I')".to_string(),
        "$formatInteger(1e300, 'w')".to_string(),
        "$formatInteger(-1e300, '#,##0')".to_string(),
        "$pad('x', 1e12)".to_string(),
        "$fromMillis(0, '[Y,1000000000]')".to_string(),
        "$formatNumber(1, '0.' & $join($map([1..2000], function($i){ '0' })))".to_string(),
        "$parseInteger('zzzzzzzzzzzzzzzzzzzz', 'a')".to_string(),
        "$parseInteger('nine trillion trillion trillion', 'w')".to_string(),
        "$number('0x' & $join($map([1..100], function($i){ 'f' })))".to_string(),
        "$round(1e300, 400)".to_string(),
        "$round(1.5, -400)".to_string(),
        "$substring('abc', -1e300, 1e300)".to_string(),
        "$split('abc', '', 1e300)".to_string(),
        "$match('aaa', /a/, 1e300)".to_string(),
        "[1..10][1e300]".to_string(),
        "[1..10][-1e300]".to_string(),
        "$formatBase(-1e300, 2)".to_string(),
        "$range(-9e18, 9e18, 9e18)".to_string(),
        "$partition([1, 2], 1e300)".to_string(),
        "$random(-1e300)".to_string(),
    ];
    let tokens = [
        "$states",
        ".",
        "input",
        "a",
        "b",
        "[",
        "]",
        "(",
        ")",
        "{",
        "}",
        "1",
        "-1",
        "\"s\"",
        ",",
        ":",
        "+",
        "*",
        "=",
        "<",
        "and",
        "~>",
        "$map",
        "$string",
        "function($x){$x}",
        "?",
        "%",
        "**",
        "#$i",
        "@$v",
        "^(",
        "|",
        "&",
        "$",
        ";",
        "$f",
        ":=",
        "..",
        "/a+/",
        "$sum",
        "$count",
        "null",
        "true",
        "in",
    ];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..3000 {
        let mut s = String::new();
        let n = (seed % 12) as usize + 1;
        for _ in 0..n {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            s.push_str(tokens[(seed % tokens.len() as u64) as usize]);
            s.push(' ');
        }
        exprs.push(s);
    }
    let ctx = context();
    let b = Bindings::new().with_states(&i, &ctx, None, None);
    for expr in &exprs {
        if let Ok(e) = parse_with_options(expr, ParseOptions::JSONATA_2_0_6)
            && let Ok(v) = evaluate(&e, &b)
        {
            let _ = to_json(v);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// jsonata-js test-suite cases, run verbatim with the test document as the context (as
// jsonata-js's `evaluate(input)` does; Step Functions itself never has a context document).

/// jsonata-js test-suite dataset0.
fn dataset0() -> Value {
    json!({"foo": {"bar": 42, "blah": [{"baz": {"fud": "hello"}}, {"baz": {"fud": "world"}}, {"bazz": "gotcha"}], "blah.baz": "here"}, "bar": 98})
}

enum Exp {
    J(&'static str),
    U,
    C(&'static str),
}

fn run_suite(group: &str, data: Option<Value>, cases: &[(&'static str, Exp)]) {
    run_suite_with(group, data, &[], cases);
}

fn run_suite_with(group: &str, data: Option<Value>, vars: &[(&str, Value)], cases: &[(&'static str, Exp)]) {
    for (expr, exp) in cases {
        let e = parse_with_options(expr, ParseOptions::JSONATA_2_0_6)
            .unwrap_or_else(|err| panic!("{group}: {expr}: {err}"));
        let mut b = Bindings::new();
        for (name, v) in vars {
            b = b.with(name, v);
        }
        let r = match &data {
            Some(d) => evaluate_with_input(&e, d, &b),
            None => evaluate(&e, &b),
        };
        match (exp, r) {
            (Exp::J(j), Ok(Some(v))) => {
                let expected: Value =
                    serde_json::from_str(j).unwrap_or_else(|err| panic!("{group}: bad expectation {j}: {err}"));
                let actual = to_json(Some(v)).unwrap();
                assert!(same_json(&actual, &expected), "{group}: {expr}\n  actual: {actual}\nexpected: {expected}");
            }
            (Exp::U, Ok(None)) => {}
            (Exp::C(code), Err(err)) => assert_eq!(err.code, *code, "{group}: {expr}: {err}"),
            (_, other) => panic!("{group}: {expr}: unexpected {other:?}"),
        }
    }
}

/// JSON equality, numbers within one unit in the last place: serde_json's default float parser
/// (used for the expected texts) is only "best effort" and can be one ULP off.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
            x == y || (x - y).abs() <= x.abs().max(y.abs()) * 2.5e-16
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// Runs `f` on a thread with a large stack (the suite evaluates inline, without `evaluate`'s
/// helper thread).
fn big_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new().stack_size(256 << 20).spawn(f).unwrap().join().unwrap();
}

#[test]
fn suite_array_constructor_and_flattening() {
    big_stack(|| {
        use Exp::*;
        run_suite_with(
            "array-constructor",
            Some(account()),
            &[("two", json!(2)), ("four", json!("four"))],
            &[
                ("[]", J("[]")),
                ("[1]", J("[1]")),
                ("[1, 2]", J("[1, 2]")),
                ("[1, 2,3]", J("[1, 2, 3]")),
                ("[1, 2, [3, 4]]", J("[1, 2, [3, 4]]")),
                (r#"[1, "two", ["three", 4]]"#, J(r#"[1, "two", ["three", 4]]"#)),
                (r#"[1, $two, ["three", $four]]"#, J(r#"[1, 2, ["three", "four"]]"#)),
                ("[1, 2, 3][0]", J("1")),
                ("[1, 2, [3, 4]][-1]", J("[3, 4]")),
                ("[1, 2, [3, 4]][-1][-1]", J("4")),
                ("[0,1,2,3,4,5,6,7,8,9][$ % 2 = 0]", J("[0, 2, 4, 6, 8]")),
                ("Account.Order.[Product.Price]", J("[[34.45, 21.67], [34.45, 107.99]]")),
            ],
        );
        run_suite(
            "array-constructor",
            Some(dataset0()),
            &[
                (
                    r#"["foo.bar", foo.bar, ["foo.baz", foo.blah.baz]]"#,
                    J(r#"["foo.bar", 42, ["foo.baz", {"fud": "hello"}, {"fud": "world"}]]"#),
                ),
                ("foo.blah.baz.[fud, fud]", J(r#"[["hello", "hello"], ["world", "world"]]"#)),
                ("foo.blah.baz.[[fud, fud]]", J(r#"[[["hello", "hello"]], [["world", "world"]]]"#)),
            ],
        );
        run_suite(
            "array-constructor",
            Some(json!({"foo": {"blah": {"baz": {"fud": "hello"}, "buz": {"fud": "world"}}}})),
            &[("foo.blah.[baz].fud", J(r#""hello""#)), ("foo.blah.[baz, buz].fud", J(r#"["hello", "world"]"#))],
        );
        run_suite(
            "array-constructor",
            Some(address()),
            &[
                (r#"[Address, Other."Alternative.Address"].City"#, J(r#"["Winchester", "London"]"#)),
                ("[Address, Other.`Alternative.Address`].City", J(r#"["Winchester", "London"]"#)),
            ],
        );
        run_suite("array-constructor", None, &[("[1, 2, 3].$", J("[1, 2, 3]"))]);

        let d12 = json!([{"nest0": [1, 2]}, {"nest0": [3, 4]}]);
        run_suite(
            "flattening",
            Some(d12),
            &[
                ("$.nest0", J("[1, 2, 3, 4]")),
                ("nest0", J("[1, 2, 3, 4]")),
                ("$[0]", J(r#"{"nest0": [1, 2]}"#)),
                ("$[1]", J(r#"{"nest0": [3, 4]}"#)),
                ("$[-1]", J(r#"{"nest0": [3, 4]}"#)),
                ("$[0].nest0", J("[1, 2]")),
                ("$[1].nest0", J("[3, 4]")),
                ("$[0].nest0[0]", J("1")),
            ],
        );
        let nest = |leaf: fn(i64) -> Value| {
            let n2 = |a: i64, b: i64| json!({"nest2": [{"nest3": leaf(a)}, {"nest3": leaf(b)}]});
            json!({"nest0": [{"nest1": [n2(1, 2), n2(3, 4)]}, {"nest1": [n2(5, 6), n2(7, 8)]}]})
        };
        for data in [nest(|n| json!([n])), nest(|n| json!(n))] {
            run_suite(
                "flattening",
                Some(data),
                &[
                    ("nest0.[nest1.[nest2.[nest3]]]", J("[[[[1], [2]], [[3], [4]]], [[[5], [6]], [[7], [8]]]]")),
                    ("nest0.nest1.[nest2.[nest3]]", J("[[[1], [2]], [[3], [4]], [[5], [6]], [[7], [8]]]")),
                    ("nest0.[nest1.nest2.[nest3]]", J("[[[1], [2], [3], [4]], [[5], [6], [7], [8]]]")),
                    ("nest0.[nest1.[nest2.nest3]]", J("[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]")),
                    ("nest0.[nest1.nest2.nest3]", J("[[1, 2, 3, 4], [5, 6, 7, 8]]")),
                    ("nest0.nest1.[nest2.nest3]", J("[[1, 2], [3, 4], [5, 6], [7, 8]]")),
                    ("nest0.nest1.nest2.[nest3]", J("[[1], [2], [3], [4], [5], [6], [7], [8]]")),
                    ("nest0.nest1.nest2.nest3", J("[1, 2, 3, 4, 5, 6, 7, 8]")),
                ],
            );
        }
        run_suite(
            "flattening",
            None,
            &[
                (r#"{"a": 1 }.a"#, J("1")),
                (r#"{"a": [1] }.a"#, J("[1]")),
                (r#"{"a": [[1]] }.a"#, J("[[1]]")),
                (r#"[{"a":[1,2]}, {"a":[3]}].a"#, J("[1,2,3]")),
                (r#"[{"a":[{"b":[1]}, {"b":[2]}]}, {"a":[{"b":[3]}, {"b":[4]}]}].a[0].b"#, J("[1,3]")),
            ],
        );
        run_suite("flattening", Some(json!({"a": 1})), &[("a", J("1"))]);
        run_suite("flattening", Some(json!({"a": [1]})), &[("a", J("[1]"))]);
        run_suite("flattening", Some(json!({"a": [[1]]})), &[("a", J("[[1]]"))]);
        run_suite("flattening", Some(json!([{"a": [1, 2]}, {"a": [3]}])), &[("a", J("[1,2,3]"))]);
        // A top-level array is one input (jsonata-js 2.x `outerWrapper`): `a[0]` indexes across
        // all items, `$.a[0]` per item (groups/flattening/array-inputs.json).
        run_suite(
            "flattening",
            Some(json!([{"a": [{"b": [1]}, {"b": [2]}]}, {"a": [{"b": [3]}, {"b": [4]}]}])),
            &[("a[0].b", J("[1]")), ("$.a[0].b", J("[1,3]")), ("a.b[0]", J("[1,2,3,4]"))],
        );
        let phones = json!([{"phone": [{"number": 0}]}, {"phone": [{"number": 1}]}, {"phone": [{"number": 2}]}]);
        run_suite(
            "flattening/array-inputs",
            Some(phones),
            &[
                ("phone", J(r#"[{"number":0}, {"number":1}, {"number":2}]"#)),
                ("phone[0]", J(r#"{"number":0}"#)),
                ("phone[0][]", J(r#"[{"number":0}]"#)),
                ("phone[0].number", J("0")),
                ("(phone)[0].number", J("0")),
                ("$.phone[0].number", J("[0,1,2]")),
            ],
        );
        run_suite(
            "flattening/array-inputs",
            Some(json!([])),
            &[("{'Hello':'World'}", J(r#"{"Hello": "World"}"#)), ("$.{'Hello':'World'}", U)],
        );
        run_suite(
            "flattening",
            Some(json!([{"type": "command"}, {"type": "commands"}])),
            &[("$[][type='command']", J(r#"[{"type":"command"}]"#))],
        );
        run_suite(
            "flattening",
            Some(json!({"tags": [{"title": "example", "description": "Hello"}]})),
            &[("$.tags[title='example'][]", J(r#"[{"title": "example", "description": "Hello"}]"#))],
        );
        run_suite(
            "flattening",
            Some(address()),
            &[
                (r#"Phone[type="mobile"].number"#, J(r#""077 7700 1234""#)),
                (r#"Phone[type="mobile"][].number"#, J(r#"["077 7700 1234"]"#)),
                (r#"Phone[][type="mobile"].number"#, J(r#"["077 7700 1234"]"#)),
                (r#"Phone[type="office"][].number"#, J(r#"["01962 001234", "01962 001235"]"#)),
            ],
        );
    });
}

#[test]
fn suite_paths_wildcards_descendants() {
    big_stack(|| {
        use Exp::*;
        run_suite(
            "wildcards",
            Some(dataset0()),
            &[
                (
                    "foo.*",
                    J(r#"[42, {"baz": {"fud": "hello"}}, {"baz": {"fud": "world"}}, {"bazz": "gotcha"}, "here"]"#),
                ),
                ("foo.*.baz", J(r#"[{"fud": "hello"}, {"fud": "world"}]"#)),
                ("foo.*.bazz", J(r#""gotcha""#)),
                ("foo.*.baz.*", J(r#"["hello", "world"]"#)),
                ("foo.*[0]", J("42")),
            ],
        );
        run_suite(
            "wildcards",
            Some(address()),
            &[(
                r#"*[type="home"]"#,
                J(
                    r#"[{"type": "home", "number": "0203 544 1234"}, {"type": "home", "address": ["freddy@my-social.com", "frederic.smith@very-serious.com"]}]"#,
                ),
            )],
        );
        run_suite(
            "wildcards",
            Some(account()),
            &[
                (
                    r#"Account[$$.Account."Account Name" = "Firefly"].*[OrderID="order104"].Product.Price"#,
                    J("[34.45, 107.99]"),
                ),
                (
                    r#"Account[$$.Account.`Account Name` = "Firefly"].*[OrderID="order104"].Product.Price"#,
                    J("[34.45, 107.99]"),
                ),
            ],
        );
        run_suite(
            "descendent-operator",
            Some(dataset0()),
            &[
                ("foo.**.blah", J(r#"[{"baz": {"fud": "hello"}}, {"baz": {"fud": "world"}}, {"bazz": "gotcha"}]"#)),
                ("foo.**.baz", J(r#"[{"fud": "hello"}, {"fud": "world"}]"#)),
                ("foo.**.fud", J(r#"["hello", "world"]"#)),
                (r#""foo".**.fud"#, J(r#"["hello", "world"]"#)),
                (r#"foo.**."fud""#, J(r#"["hello", "world"]"#)),
                (r#""foo".**."fud""#, J(r#"["hello", "world"]"#)),
                ("foo.*.**.fud", J(r#"["hello", "world"]"#)),
                ("foo.**.*.fud", J(r#"["hello", "world"]"#)),
                ("foo.**.fud[0]", J(r#"["hello", "world"]"#)),
                ("(foo.**.fud)[0]", J(r#""hello""#)),
                ("(**.fud)[0]", J(r#""hello""#)),
            ],
        );
        run_suite(
            "descendent-operator",
            Some(account()),
            &[
                ("Account.Order.**.Colour", J(r#"["Purple", "Orange", "Purple", "Black"]"#)),
                ("**.Price", J("[34.45, 21.67, 34.45, 107.99]")),
                ("**.Price[0]", J("[34.45, 21.67, 34.45, 107.99]")),
                ("(**.Price)[0]", J("34.45")),
                ("**[2]", J(r#""Firefly""#)),
                ("Account.Order.blah.**", U),
            ],
        );
        run_suite("descendent-operator", None, &[("**", U)]);
        run_suite(
            "context",
            None,
            &[
                ("[1..5].$string()", J(r#"["1", "2", "3", "4", "5"]"#)),
                (r#"[1..5].("Item " & $string())"#, J(r#"["Item 1", "Item 2", "Item 3", "Item 4", "Item 5"]"#)),
            ],
        );
        run_suite(
            "context",
            Some(account()),
            &[(
                r#"Account.Order.Product."Product Name".$uppercase().$substringBefore(" ")"#,
                J(r#"["BOWLER", "TRILBY", "BOWLER", "CLOAK"]"#),
            )],
        );
        run_suite(
            "null",
            Some(dataset0()),
            &[
                ("null", J("null")),
                ("[null]", J("[null]")),
                ("[null, null]", J("[null, null]")),
                ("$not(null)", J("true")),
                ("null = null", J("true")),
                ("null != null", J("false")),
                (
                    r#"{"true": true, "false":false, "null": null}"#,
                    J(r#"{"true": true, "false": false, "null": null}"#),
                ),
            ],
        );
    });
}

#[test]
fn suite_object_constructor_and_sorting() {
    big_stack(|| {
        use Exp::*;
        run_suite(
            "object-constructor",
            Some(dataset0()),
            &[
                ("{}", J("{}")),
                (r#"{"key": "value"}"#, J(r#"{"key": "value"}"#)),
                (r#"{"one": 1, "two": 2}.two"#, J("2")),
                (
                    r#"{"one": 1, "two": {"three": 3, "four": "4"}}"#,
                    J(r#"{"one": 1, "two": {"three": 3, "four": "4"}}"#),
                ),
                (r#"{"test": ()}"#, J("{}")),
                ("blah.{}", U),
            ],
        );
        run_suite(
            "object-constructor",
            Some(account()),
            &[
                (
                    r#"Account.Order{OrderID: Product."Product Name"}"#,
                    J(r#"{"order103": ["Bowler Hat", "Trilby hat"], "order104": ["Bowler Hat", "Cloak"]}"#),
                ),
                (
                    r#"Account.Order.{OrderID: Product."Product Name"}"#,
                    J(r#"[{"order103": ["Bowler Hat", "Trilby hat"]}, {"order104": ["Bowler Hat", "Cloak"]}]"#),
                ),
                (
                    "Account.Order.Product{$string(ProductID): Price}",
                    J(r#"{"345664": 107.99, "858236": 21.67, "858383": [34.45, 34.45]}"#),
                ),
                (
                    "Account.Order.Product{$string(ProductID): (Price)[0]}",
                    J(r#"{"345664": 107.99, "858236": 21.67, "858383": 34.45}"#),
                ),
                (
                    "Account.Order.Product.{$string(ProductID): Price}",
                    J(r#"[{"858383": 34.45}, {"858236": 21.67}, {"858383": 34.45}, {"345664": 107.99}]"#),
                ),
                (r#"Account.Order.Product{ProductID: "Product Name"}"#, C("T1003")),
                (r#"Account.Order.Product.{ProductID: "Product Name"}"#, C("T1003")),
                (
                    "Account.Order{OrderID: $sum(Product.(Price*Quantity))}",
                    J(r#"{"order103": 90.57000000000001, "order104": 245.79000000000002}"#),
                ),
                // jsonata 2.x: two key expressions producing the same key is D1009 (1.x merged them).
                (r#"Account.Order.Product{$."Product Name": Price, $."Product Name": Price}"#, C("D1009")),
                ("Account.Order.Product{`Product Name`: Price, `Product Name`: Price}", C("D1009")),
                (
                    r#"Account.Order{  OrderID: {    "TotalPrice":$sum(Product.(Price * Quantity)),    "Items": Product."Product Name"  }}"#,
                    J(
                        r#"{"order103": {"TotalPrice": 90.57000000000001, "Items": ["Bowler Hat", "Trilby hat"]}, "order104": {"TotalPrice": 245.79000000000002, "Items": ["Bowler Hat", "Cloak"]}}"#,
                    ),
                ),
                (
                    r#"{  "Order": Account.Order.{      "ID": OrderID,      "Product": Product.{          "Name": $."Product Name",          "SKU": ProductID,          "Details": {            "Weight": Description.Weight,            "Dimensions": Description.(Width & " x " & Height & " x " & Depth)          }        },      "Total Price": $sum(Product.(Price * Quantity))    }}"#,
                    J(
                        r#"{"Order": [{"ID": "order103", "Product": [{"Name": "Bowler Hat", "SKU": 858383, "Details": {"Weight": 0.75, "Dimensions": "300 x 200 x 210"}}, {"Name": "Trilby hat", "SKU": 858236, "Details": {"Weight": 0.6, "Dimensions": "300 x 200 x 210"}}], "Total Price": 90.57000000000001}, {"ID": "order104", "Product": [{"Name": "Bowler Hat", "SKU": 858383, "Details": {"Weight": 0.75, "Dimensions": "300 x 200 x 210"}}, {"Name": "Cloak", "SKU": 345664, "Details": {"Weight": 2, "Dimensions": "30 x 20 x 210"}}], "Total Price": 245.79000000000002}]}"#,
                    ),
                ),
            ],
        );
        run_suite(
            "object-constructor",
            Some(address()),
            &[(
                r#"Phone{type: $join(number, ", "), "phone":number}"#,
                J(
                    r#"{"home": "0203 544 1234", "phone": ["0203 544 1234", "01962 001234", "01962 001235", "077 7700 1234"], "office": "01962 001234, 01962 001235", "mobile": "077 7700 1234"}"#,
                ),
            )],
        );
        run_suite(
            "sorting",
            Some(account()),
            &[
                ("Account.Order.Product.Price^($)", J("[21.67, 34.45, 34.45, 107.99]")),
                ("Account.Order.Product.Price^(<$)", J("[21.67, 34.45, 34.45, 107.99]")),
                ("Account.Order.Product.Price^(>$)", J("[107.99, 34.45, 34.45, 21.67]")),
                ("Account.Order.Product^(Price).Description.Colour", J(r#"["Orange", "Purple", "Purple", "Black"]"#)),
                ("Account.Order.Product^(Price).SKU", J(r#"["0406634348", "0406654608", "040657863", "0406654603"]"#)),
                (
                    "Account.Order.Product^(Price * Quantity).Description.Colour",
                    J(r#"["Orange", "Purple", "Black", "Purple"]"#),
                ),
                (
                    "Account.Order.Product^(Quantity, Description.Colour).Description.Colour",
                    J(r#"["Black", "Orange", "Purple", "Purple"]"#),
                ),
                (
                    "Account.Order.Product^(Quantity, >Description.Colour).Description.Colour",
                    J(r#"["Orange", "Black", "Purple", "Purple"]"#),
                ),
                ("$sort(nothing)", U),
                ("$sort(1)", J("[1]")),
                ("$sort([1,3,22,11])", J("[1, 3, 11, 22]")),
                ("$sort(Account.Order.Product.Price)", J("[21.67, 34.45, 34.45, 107.99]")),
                (
                    r#"$sort(Account.Order.Product."Product Name")"#,
                    J(r#"["Bowler Hat", "Bowler Hat", "Cloak", "Trilby hat"]"#),
                ),
                ("$sort(Account.Order.Product)", C("D3070")),
                (
                    r#"$sort(Account.Order.Product, function($a, $b) { $a.(Price * Quantity) > $b.(Price * Quantity) }).(Price & " x " & Quantity)"#,
                    J(r#"["21.67 x 1", "34.45 x 2", "107.99 x 1", "34.45 x 4"]"#),
                ),
                (
                    "$sort(Account.Order.Product, function($a, $b) { $a.Price > $b.Price }).SKU",
                    J(r#"["0406634348", "0406654608", "040657863", "0406654603"]"#),
                ),
                (
                    "(Account.Order.Product ~> $sort(λ($a,$b){$a.Quantity < $b.Quantity}) ~> $sort(λ($a,$b){$a.Price > $b.Price})).SKU",
                    J(r#"["0406634348", "040657863", "0406654608", "0406654603"]"#),
                ),
            ],
        );
        run_suite(
            "function-sort",
            Some(json!([1, 3, 2])),
            &[("[[$], [$sort($)], [$]]", J("[[1, 3, 2], [1, 2, 3], [1, 3, 2]]"))],
        );
    });
}

#[test]
fn suite_functions_and_lambdas() {
    big_stack(|| {
        use Exp::*;
        run_suite(
            "function-applications",
            Some(account()),
            &[
                ("Account.Order[0].OrderID ~> $uppercase()", J(r#""ORDER103""#)),
                ("Account.Order[0].OrderID ~> $uppercase() ~> $lowercase()", J(r#""order103""#)),
                ("Account.Order.OrderID ~> $join()", J(r#""order103order104""#)),
                (r#"Account.Order.OrderID ~> $join(", ")"#, J(r#""order103, order104""#)),
                ("Account.Order.Product.(Price * Quantity) ~> $sum()", J("336.36")),
                (
                    "($prices := Account.Order.Product.Price;$quantities := Account.Order.Product.Quantity;$product := λ($arr) { $arr[0] * $arr[1] };$zip($prices, $quantities) ~> $map($product) ~> $sum())",
                    J("336.36"),
                ),
                (r#"42 ~> "hello""#, C("T2006")),
                (r#"Account.Order.Product[$."Product Name" ~> /hat/i].ProductID"#, J("[858383, 858236, 858383]")),
                ("($nth_price := function($n) { (Account.Order.Product.Price)[$n] }; $nth_price(1) )", J("21.67")),
                (
                    r#"Account.Order.Product ~> $map(λ($prod, $index) { $index+1 & ": " & $prod."Product Name" })"#,
                    J(r#"["1: Bowler Hat", "2: Trilby hat", "3: Bowler Hat", "4: Cloak"]"#),
                ),
                (
                    r#"Account.Order.Product ~> $map(λ($prod, $index, $arr) { $index+1 & "/" & $count($arr) & ": " & $prod."Product Name" })"#,
                    J(r#"["1/4: Bowler Hat", "2/4: Trilby hat", "3/4: Bowler Hat", "4/4: Cloak"]"#),
                ),
                (r#"$map(Phone, function($v, $i) {$v.type="office" ? $i: null})"#, U),
                (r#"Account.Order.Product[$contains($."Product Name", /hat/)].ProductID"#, J("858236")),
                (
                    r#"Account.Order.Product[$contains($."Product Name", /hat/i)].ProductID"#,
                    J("[858383, 858236, 858383]"),
                ),
                (
                    r#"Account.Order.Product.$replace($."Product Name", /hat/i, function($match) { "foo" })"#,
                    J(r#"["Bowler foo", "Trilby foo", "Bowler foo", "Cloak"]"#),
                ),
                (
                    r#"Account.Order.Product.$replace($."Product Name", /(h)(at)/i, function($match) { $uppercase($match.match) })"#,
                    J(r#"["Bowler HAT", "Trilby HAT", "Bowler HAT", "Cloak"]"#),
                ),
                (r#"Account.Order.Product.$replace($."Product Name", /hat/i, function($match) { true })"#, C("D3012")),
                (r#"Account.Order.Product.$replace($."Product Name", /hat/i, function($match) { 42 })"#, C("D3012")),
                ("Account.Order.$string($sum(Product.(Price* Quantity)))", J(r#"["90.57", "245.79"]"#)),
                ("$string(blah)", U),
                ("$string($string)", J(r#""""#)),
            ],
        );
        run_suite(
            "hof-map",
            Some(address()),
            &[
                (r#"$map(Phone, function($v, $i) {$i[$v.type="office"]})"#, J("[1, 2]")),
                (r#"$map(Phone, function($v, $i) {$v.type="office" ? $i})"#, J("[1, 2]")),
                (r#"$map(Phone, function($v, $i) {$v.type="office" ? $i: null})"#, J("[null, 1, 2, null]")),
            ],
        );
        run_suite(
            "functions",
            None,
            &[
                (
                    "(  $uppertrim := $trim ~> $uppercase;  $uppertrim(\"   Hello    World   \") )",
                    J(r#""HELLO WORLD""#),
                ),
                (r#""john@example.com" ~> $substringAfter("@") ~> $substringBefore(".") "#, J(r#""example""#)),
                (
                    r#"( $domain := $substringAfter(?,"@") ~> $substringBefore(?,"."); $domain("john@example.com") )"#,
                    J(r#""example""#),
                ),
                ("( $square := function($x){$x*$x}; [1..5] ~> $map($square) ) ", J("[1, 4, 9, 16, 25]")),
                ("( $square := function($x){$x*$x}; [1..5] ~> $map($square) ~> $sum() ) ", J("55")),
                (
                    r#"($betweenBackets := $substringAfter(?, "(") ~> $substringBefore(?, ")");$betweenBackets("test(foo)bar")) "#,
                    J(r#""foo""#),
                ),
                (
                    "($square := function($x){$x*$x};$chain := λ($f, $g){λ($x){$g($f($x))}};$instructions := [$sum, $square];$sumsq := $instructions ~> $reduce($chain);[1..5] ~> $sumsq()) ",
                    J("225"),
                ),
                (
                    "($square := function($x){$x*$x};$chain := λ($f, $g){λ($x){ $x ~> $f ~> $g }};$instructions := [$sum, $square, $string];$sumsq := $instructions ~> $reduce($chain);[1..5] ~> $sumsq()) ",
                    J(r#""225""#),
                ),
                (
                    "($square := function($x){$x*$x};$instructions := $sum ~> $square;[1..5] ~> $instructions())  ",
                    J("225"),
                ),
                (
                    "($square := function($x){$x*$x};$sum_of_squares := $map(?, $square) ~> $sum;[1..5] ~> $sum_of_squares())  ",
                    J("55"),
                ),
                (
                    "($times := λ($x, $y) { $x * $y };$product := $reduce(?, $times);$square := function($x){$x*$x};$product_of_squares := $map(?, $square) ~> $product;[1..5] ~> $product_of_squares())",
                    J("14400"),
                ),
                (
                    "($square := function($x){$x*$x};[1..5] ~> $map($square) ~> $reduce(λ($x, $y) { $x * $y });)",
                    J("14400"),
                ),
                ("function($x){$x*$x}(5)", J("25")),
                (r#"function($x){$x>5 ? "foo"}(6)"#, J(r#""foo""#)),
                (r#"function($x){$x>5 ? "foo"}(3)"#, U),
                ("($factorial:= function($x){$x <= 1 ? 1 : $x * $factorial($x-1)}; $factorial(4))", J("24")),
                (
                    "($fibonacci := function($x){$x <= 1 ? $x : $fibonacci($x-1) + $fibonacci($x-2)}; [1,2,3,4,5,6,7,8,9].$fibonacci($))",
                    J("[1, 1, 2, 3, 5, 8, 13, 21, 34]"),
                ),
                (
                    "($even := function($n) { $n = 0 ? true : $odd($n-1) }; $odd := function($n) { $n = 0 ? false : $even($n-1) }; $even(82))",
                    J("true"),
                ),
                (
                    "($even := function($n) { $n = 0 ? true : $odd($n-1) }; $odd := function($n) { $n = 0 ? false : $even($n-1) }; $odd(65))",
                    J("true"),
                ),
                ("(  $gcd := λ($a, $b){$b = 0 ? $a : $gcd($b, $a%$b) };  [$gcd(8,12), $gcd(9,12)])", J("[4, 3]")),
                (
                    "(  $range := function($start, $end, $step) { (    $step:=($step?$step:1);    $start+$step > $end ? $start : $append($start, $range($start+$step, $end, $step))   )};  $range(0,15))        ",
                    J("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]"),
                ),
                (
                    "(  $range := function($start, $end, $step) { (      $step:=($step?$step:1);        $start+$step > $end ? $start : $append($start, $range($start+$step, $end, $step))   )};  $range(0,15,2))        ",
                    J("[0, 2, 4, 6, 8, 10, 12, 14]"),
                ),
                (
                    "($twice:=function($f){function($x){$f($f($x))}}; $add3:=function($y){$y+3}; $add6:=$twice($add3); $add6(7))",
                    J("13"),
                ),
                (
                    "λ($f) { λ($x) { $x($x) }( λ($g) { $f( (λ($a) {$g($g)($a)}))})}(λ($f) { λ($n) { $n < 2 ? 1 : $n * $f($n - 1) } })(6)",
                    J("720"),
                ),
                (
                    "λ($f) { λ($x) { $x($x) }( λ($g) { $f( (λ($a) {$g($g)($a)}))})}(λ($f) { λ($n) { $n <= 1 ? $n : $f($n-1) + $f($n-2) } })(6) ",
                    J("8"),
                ),
                (
                    "(  $data := {    \"one\": [1,2,3,4,5],    \"two\": [5,4,3,2,1]  };  $add := function($x){$x*$x};  $map($data.one, $add) )  ",
                    J("[1, 4, 9, 16, 25]"),
                ),
                (
                    "(  $data := {    \"one\": [1,2,3,4,5],    \"two\": [5,4,3,2,1]  };  $add := function($x){$x*$x};  $map($add) )  ",
                    C("T0410"),
                ),
                ("(  $f := function($n){()};  $f(1)  ) ", U),
                (
                    "(  $factorial := function($n){$n = 0 ? 1 : $n * $factorial($n - 1)};  $factorial(99))",
                    J("9.33262154439441e155"),
                ),
                (
                    "(  $factorial := function($n){(    $iter := function($n, $acc) {      $n = 0 ? $acc : $iter($n - 1, $n * $acc)    };    $iter($n, 1)  )};  $factorial(150)) ",
                    J("5.7133839564458575e262"),
                ),
                ("(  $inf := function($n){$n+$inf($n-1)};  $inf(5))", C("U1001")),
                (
                    "($even := function($n) { $n = 0 ? true : $odd($n-1) }; $odd := function($n) { $n = 0 ? false : $even($n-1) }; $odd(6555))",
                    J("true"),
                ),
            ],
        );
    });
}

#[test]
fn suite_strings_regex_numbers() {
    big_stack(|| {
        use Exp::*;
        run_suite(
            "function-string",
            None,
            &[
                ("$string(5)", J(r#""5""#)),
                ("$string(22/7)", J(r#""3.14285714285714""#)),
                ("$string(1e100)", J(r#""1e+100""#)),
                ("$string(1e-100)", J(r#""1e-100""#)),
                ("$string(1e-6)", J(r#""0.000001""#)),
                ("$string(1e-7)", J(r#""1e-7""#)),
                ("$string(1e20)", J(r#""100000000000000000000""#)),
                ("$string(1e21)", J(r#""1e+21""#)),
                ("$string(false)", J(r#""false""#)),
                ("$string(function(){true})", J(r#""""#)),
                (r#"$string({"string": "hello"})"#, J(r#""{\"string\":\"hello\"}""#)),
                (r#"$string(["string", 5])"#, J(r#""[\"string\",5]""#)),
                (
                    r#"$string({  "string": "hello",  "number": 78.8 / 2,  "null":null,  "boolean": false,  "function": $sum,  "lambda": function(){true},  "object": {    "str": "another",    "lambda2": function($n){$n}  },  "array": []})"#,
                    J(
                        r#""{\"string\":\"hello\",\"number\":39.4,\"null\":null,\"boolean\":false,\"function\":\"\",\"lambda\":\"\",\"object\":{\"str\":\"another\",\"lambda2\":\"\"},\"array\":[]}""#,
                    ),
                ),
                ("$string(1/0)", C("D3001")),
                (r#"$string({"inf": 1/0})"#, C("D1001")),
                ("$string(2,3)", C("T0410")),
                ("$string()", U),
            ],
        );
        run_suite(
            "regex",
            None,
            &[
                (r#"$split("ababbxabbcc",/b+/)"#, J(r#"["a", "a", "xa", "cc"]"#)),
                (r#"$split("ababbxabbcc",/b+/, 2)"#, J(r#"["a", "a"]"#)),
                (r#"$split("ababbxabbcc",/d+/)"#, J(r#"["ababbxabbcc"]"#)),
                (r#"$contains("ababbxabbcc",/ab+/)"#, J("true")),
                (r#"$contains("ababbxabbcc",/ax+/)"#, J("false")),
                (r#"$replace("ababbxabbcc",/b+/, "yy")"#, J(r#""ayyayyxayycc""#)),
                (r#"$replace("ababbxabbcc",/b+/, "yy", 2)"#, J(r#""ayyayyxabbcc""#)),
                (r#"$replace("ababbxabbcc",/b+/, "yy", 0)"#, J(r#""ababbxabbcc""#)),
                (r#"$replace("ababbxabbcc",/d+/, "yy")"#, J(r#""ababbxabbcc""#)),
                (r#"$replace("265USD", /([0-9]+)USD/, "$w")"#, J(r#""$w""#)),
                (r#"$replace("265USD", /([0-9]+)USD/, "$0 -> $$$1")"#, J(r#""265USD -> $265""#)),
                (r#"$replace("265USD", /([0-9]+)USD/, "$0$1$2")"#, J(r#""265USD265""#)),
                (r#"$replace("abcd", /(ab)|(a)/, "[1=$1][2=$2]")"#, J(r#""[1=ab][2=]cd""#)),
                (r#"$replace("abracadabra", /bra/, "*")"#, J(r#""a*cada*""#)),
                (r#"$replace("abracadabra", /a.*a/, "*")"#, J(r#""*""#)),
                (r#"$replace("abracadabra", /a/, "")"#, J(r#""brcdbr""#)),
                (r#"$replace("abracadabra", /a(.)/, "a$1$1")"#, J(r#""abbraccaddabbra""#)),
                (r#"$replace("abracadabra", /.*?/, "$1")"#, C("D1004")),
                (r#"$replace("AAAA", /A+/, "b")"#, J(r#""b""#)),
                (r#"$replace("AAAA", /A+?/, "b")"#, J(r#""bbbb""#)),
                (r#"$replace("darted", /^(.*?)d(.*)$/, "$1c$2")"#, J(r#""carted""#)),
                (
                    r#"$replace("abcdefghijklmno", /(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)(l)(m)/, "$8$5$12$12$18$123")"#,
                    J(r#""hella8l3no""#),
                ),
                (r#"$replace("abcdefghijklmno", /xyz/, "$8$5$12$12$18$123")"#, J(r#""abcdefghijklmno""#)),
                (r#"$replace("abcdefghijklmno", /ijk/, "$8$5$12$12$18$123")"#, J(r#""abcdefgh22823lmno""#)),
                (
                    r#"$replace("abcdefghijklmno", /(ijk)/, "$8$5$12$12$18$123")"#,
                    J(r#""abcdefghijk2ijk2ijk8ijk23lmno""#),
                ),
                (r#"$replace("abcdefghijklmno", /ijk/, "$x")"#, J(r#""abcdefgh$xlmno""#)),
                (r#"$replace("abcdefghijklmno", /(ijk)/, "$x$")"#, J(r#""abcdefgh$x$lmno""#)),
                (
                    r#"$replace("temperature = 68F today", /(-?\d+(?:\.\d*)?)F\b/, function($m) { ($number($m.groups[0]) - 32) * 5/9 & "C" })"#,
                    J(r#""temperature = 20C today""#),
                ),
            ],
        );
        run_suite(
            "function-round",
            None,
            &[
                ("$round(4)", J("4")),
                ("$round(2.3)", J("2")),
                ("$round(2.7)", J("3")),
                ("$round(2.5)", J("2")),
                ("$round(3.5)", J("4")),
                ("$round(-0.5)", J("0")),
                ("$round(-0.3)", J("0")),
                ("$round(0.5)", J("0")),
                ("$round(-7.5)", J("-8")),
                ("$round(-8.5)", J("-8")),
                ("$round(4.49, 1)", J("4.5")),
                ("$round(4.525, 2)", J("4.52")),
                ("$round(4.515, 2)", J("4.52")),
                ("$round(12345, -2)", J("12300")),
                ("$round(12450, -2)", J("12400")),
                ("$round(12350, -2)", J("12400")),
                ("$round(6.022e-23, 24)", J("6e-23")),
                ("$round(unknown)", U),
            ],
        );
        run_suite(
            "function-formatNumber",
            None,
            &[
                (r####"$formatNumber(12345.6, "#,###.00")"####, J(r#""12,345.60""#)),
                (r#"$formatNumber(12345678.9, "9,999.99")"#, J(r#""12,345,678.90""#)),
                (r#"$formatNumber(123412345678.9, "9,9,99.99")"#, J(r#""123412345,6,78.90""#)),
                (r#"$formatNumber(1234.56789, "9,999.999,999")"#, J(r#""1,234.567,890""#)),
                (r#"$formatNumber(123.9, "9999")"#, J(r#""0124""#)),
                (r#"$formatNumber(0.14, "01%")"#, J(r#""14%""#)),
                (r####"$formatNumber(0.4857,"###.###‰")"####, J(r#""485.7‰""#)),
                (r####"$formatNumber(0.14, "###pm", {"per-mille": "pm"})"####, J(r#""140pm""#)),
                (r#"$formatNumber(-6, "000")"#, J(r#""-006""#)),
                (r#"$formatNumber(1234.5678, "00.000e0")"#, J(r#""12.346e2""#)),
                (r#"$formatNumber(1234.5678, "00.000e000")"#, J(r#""12.346e002""#)),
                (r#"$formatNumber(1234.5678, "①①.①①①e①", {"zero-digit": "⑟"})"#, J(r#""①②.③④⑥e②""#)),
                (r#"$formatNumber(0.234, "0.0e0")"#, J(r#""2.3e-1""#)),
                (r####"$formatNumber(0.234, "#.00e0")"####, J(r#""0.23e0""#)),
                (r####"$formatNumber(0.123, "#.e9")"####, J(r#""0.1e0""#)),
                (r#"$formatNumber(0.234, ".00e0")"#, J(r#"".23e0""#)),
                (r####"$formatNumber(2392.14*(-36.58), "000,000.000###;###,###.000###")"####, J(r#""87,504.4812""#)),
                (r####"$formatNumber(2.14*86.58,"PREFIX##00.000###SUFFIX")"####, J(r#""PREFIX185.2812SUFFIX""#)),
                (r####"$formatNumber(1E20,"#,######")"####, J(r#""100,000000,000000,000000""#)),
                (r####"$formatNumber(20,"#;#;#")"####, C("D3080")),
                (r####"$formatNumber(20,"#.0.0")"####, C("D3081")),
                (r####"$formatNumber(20,"#0%%")"####, C("D3082")),
                (r####"$formatNumber(20,"#0‰‰")"####, C("D3083")),
                (r####"$formatNumber(20,"#0%‰")"####, C("D3084")),
                (r#"$formatNumber(20,".e0")"#, C("D3085")),
                (r#"$formatNumber(20,"0+.e0")"#, C("D3086")),
                (r#"$formatNumber(20,"0,.e0")"#, C("D3087")),
                (r#"$formatNumber(20,"0,")"#, C("D3088")),
                (r#"$formatNumber(20,"0,,0")"#, C("D3089")),
                (r####"$formatNumber(20,"0#.e0")"####, C("D3090")),
                (r####"$formatNumber(20,"#0.#0e0")"####, C("D3091")),
                (r####"$formatNumber(20,"#0.0e0%")"####, C("D3092")),
                (r####"$formatNumber(20,"#0.0e0,0")"####, C("D3093")),
            ],
        );
    });
}

#[test]
fn suite_transforms() {
    big_stack(|| {
        use Exp::*;
        run_suite(
            "transforms",
            Some(account()),
            &[
                (
                    r#"Account.Order ~> |Product|{"Total":Price*Quantity},["Description", "SKU"]|"#,
                    J(
                        r#"[{"OrderID": "order103", "Product": [{"Product Name": "Bowler Hat", "ProductID": 858383, "Price": 34.45, "Quantity": 2, "Total": 68.9}, {"Product Name": "Trilby hat", "ProductID": 858236, "Price": 21.67, "Quantity": 1, "Total": 21.67}]}, {"OrderID": "order104", "Product": [{"Product Name": "Bowler Hat", "ProductID": 858383, "Price": 34.45, "Quantity": 4, "Total": 137.8}, {"ProductID": 345664, "Product Name": "Cloak", "Price": 107.99, "Quantity": 1, "Total": 107.99}]}]"#,
                    ),
                ),
                (
                    r#"($ ~> |Account.Order.Product|{"Total":Price*Quantity, "Price": Price * 1.2}|).Account.Order.Product.[Price, Total]"#,
                    J("[[41.34, 68.9], [26.004, 21.67], [41.34, 137.8], [129.588, 107.99]]"),
                ),
                (r#"$count(($ ~> |Account.Order.Product|nomatch,"Description"|).**.Description)"#, J("0")),
                (
                    r#"($ ~> |(Account.Order.Product)[0]|{"Description":"blah"}|).Account.Order.Product.Description.Colour"#,
                    J(r#"["Orange", "Purple", "Black"]"#),
                ),
                (
                    r#"($ ~> |(Account.Order.Product)[0]|{"Description":"blah"}|).Account.Order[0].Product[0].Description"#,
                    J(r#""blah""#),
                ),
                (r#"($ ~> |foo.bar|{"Description":"blah"}|) = $"#, J("true")),
            ],
        );
    });
}

#[test]
fn larger_inputs() {
    let big = json!({"items": (0..5000).map(|i| json!({"id": i, "price": i % 97, "name": format!("n{i}")})).collect::<Vec<_>>()});
    check_all(
        &big,
        &[
            ("$count($states.input.items[price > 50])", json!((0..5000).filter(|i| i % 97 > 50).count())),
            ("$sum($states.input.items.price)", json!((0..5000).map(|i| i % 97).sum::<i64>())),
            ("$count($map($states.input.items, function($v){ $v.price * 2 }))", json!(5000)),
            ("$states.input.items^(>price, >id)[0].id", json!((0..5000).filter(|i| i % 97 == 96).max())),
            ("$count($keys($states.input.items{$string(price): id}))", json!(97)),
            ("($states.input.items{$string(price): $count(id)}).`96`", json!(51)),
            // The grouping stays on the path object when `.x` extends it (jsonata-js processAST),
            // so here it applies after the `96` step, to nothing: `{}`.
            ("$states.input.items{$string(price): $count(id)}.`96`", json!({})),
            ("$length($string($states.input.items[[0..1]]))", json!(63)),
            // Array-index keys come out ascending whatever the insertion order.
            ("$keys($states.input.items^(>id){$string(id): id})[[0..2]]", json!(["0", "1", "2"])),
            ("$keys($merge($states.input.items^(>id).{$string(id): id}))[-1]", json!("4999")),
            ("$keys({\"b\": 1, \"10\": 2, \"a\": 3, \"9\": 4, \"01\": 5})", json!(["9", "10", "b", "a", "01"])),
        ],
    );
}

#[test]
fn suite_parent_operator() {
    big_stack(|| {
        use Exp::*;
        let poa = r#"[{"Product": "Bowler Hat", "Order": "order103", "Account": "Firefly"}, {"Product": "Trilby hat", "Order": "order103", "Account": "Firefly"}, {"Product": "Bowler Hat", "Order": "order104", "Account": "Firefly"}, {"Product": "Cloak", "Order": "order104", "Account": "Firefly"}]"#;
        let obj = "{ 'Product': `Product Name`, 'Order': %.OrderID, 'Account': %.%.`Account Name` }";
        let cases: Vec<(String, &str)> = vec![
            (format!("Account.Order.Product.{obj}"), poa),
            (format!("Account.(Order).(Product).{obj}"), poa),
            (format!("Account.Order.(Product).{obj}"), poa),
            (format!("Account.(Order.(Product)).{obj}"), poa),
            (format!("(Account.Order).(Product).{obj}"), poa),
            (
                "Account.(Order.Product).{ \"order\": %.OrderID, \"Product\": `Product Name`, \"Weight\": Description.Weight }".to_string(),
                r#"[{"order": "order103", "Product": "Bowler Hat", "Weight": 0.75}, {"order": "order103", "Product": "Trilby hat", "Weight": 0.6}, {"order": "order104", "Product": "Bowler Hat", "Weight": 0.75}, {"order": "order104", "Product": "Cloak", "Weight": 2}]"#,
            ),
            ("(Account.Order.Product)[%.OrderID='order104'].SKU".to_string(), r#"["040657863", "0406654603"]"#),
            ("Account.Order.Product.{ `Product Name`: [Quantity, (%.OrderID)] }".to_string(), r#"[{"Bowler Hat": [2, "order103"]}, {"Trilby hat": [1, "order103"]}, {"Bowler Hat": [4, "order104"]}, {"Cloak": [1, "order104"]}]"#),
            ("Account.Order.Product.Description.%.%.OrderID".to_string(), r#"["order103", "order103", "order104", "order104"]"#),
            ("$count(Account.Order.Product.%)".to_string(), "4"),
        ];
        let leaked: Vec<(&'static str, Exp)> = cases
            .into_iter()
            .map(|(e, r)| (&*Box::leak(e.into_boxed_str()), J(Box::leak(r.to_string().into_boxed_str()))))
            .collect();
        run_suite("parent-operator", Some(account()), &leaked);
    });
}
