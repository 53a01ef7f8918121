//! The JSON form of the syntax tree (for the API): its shape, and that it
//! reads back to the same tree.

use flokk_lang::{Limits, Query, parse};

#[test]
fn json_shape() {
    let query = parse(
        "NOT age > 3 OR orders_placed MATCHES (date BETWEEN 2025-11-28 AND -1d, channel IN ('pos'))",
        &Limits::default(),
    )
    .unwrap();
    insta::assert_snapshot!(serde_json::to_string_pretty(&query).unwrap(), @r#"
    {
      "expr": {
        "type": "or",
        "operands": [
          {
            "type": "not",
            "operand": {
              "type": "clause",
              "filter": {
                "text": "age",
                "span": [
                  4,
                  7
                ]
              },
              "predicate": {
                "type": "compare",
                "op": ">",
                "value": {
                  "value": {
                    "kind": "integer",
                    "value": 3
                  },
                  "span": [
                    10,
                    11
                  ]
                }
              },
              "operator_span": [
                8,
                9
              ],
              "span": [
                4,
                11
              ]
            },
            "span": [
              0,
              11
            ]
          },
          {
            "type": "clause",
            "filter": {
              "text": "orders_placed",
              "span": [
                15,
                28
              ]
            },
            "predicate": {
              "type": "matches",
              "negated": false,
              "params": [
                {
                  "name": {
                    "text": "date",
                    "span": [
                      38,
                      42
                    ]
                  },
                  "predicate": {
                    "type": "between",
                    "low": {
                      "value": {
                        "kind": "date",
                        "value": "2025-11-28"
                      },
                      "span": [
                        51,
                        61
                      ]
                    },
                    "high": {
                      "value": {
                        "kind": "relative",
                        "value": {
                          "amount": -1,
                          "unit": "day"
                        }
                      },
                      "span": [
                        66,
                        69
                      ]
                    }
                  },
                  "operator_span": [
                    43,
                    50
                  ],
                  "span": [
                    38,
                    69
                  ]
                },
                {
                  "name": {
                    "text": "channel",
                    "span": [
                      71,
                      78
                    ]
                  },
                  "predicate": {
                    "type": "in",
                    "negated": false,
                    "values": [
                      {
                        "value": {
                          "kind": "string",
                          "value": "pos"
                        },
                        "span": [
                          83,
                          88
                        ]
                      }
                    ]
                  },
                  "operator_span": [
                    79,
                    81
                  ],
                  "span": [
                    71,
                    89
                  ]
                }
              ]
            },
            "operator_span": [
              29,
              36
            ],
            "span": [
              15,
              90
            ]
          }
        ],
        "span": [
          0,
          90
        ]
      }
    }
    "#);
}

#[test]
fn every_example_reads_back_from_json() {
    let spec_examples = [
        "number_of_orders >= 3 AND last_order_date > -120d",
        "amount_spent > 500 AND customer_tags NOT CONTAINS 'wholesale'",
        "customer_within_distance MATCHES (coordinates = (42.3601, -71.0589), distance_km = 48)",
        "(age BETWEEN 25 AND 40 OR age IS NULL) AND tickets_purchased MATCHES (lead_time_days <= 2)",
        "last_order_date < 2024-05-30T16:00:00 OR expected_next_order_date BETWEEN today AND +14d",
        "shopify_email.opened MATCHES (date > -30d, machine_open = false) AND amount_spent > 99.5",
    ];
    for text in spec_examples {
        let query = parse(text, &Limits::default()).unwrap();
        let json = serde_json::to_string(&query).unwrap();
        let back: Query = serde_json::from_str(&json).unwrap();
        assert_eq!(back, query, "{json}");
    }
}
