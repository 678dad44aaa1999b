import json, os
SPEC="States Language specification (states-language.net/spec.html)"
G="AWS Step Functions developer guide"
cases=[]
def case(area,name,definition,valid,paths,source,typ="STANDARD"):
    cases.append((area,name,{"name":name,"definition":definition,"type":typ,"expected_valid":valid,"expected_paths":paths,"source":source}))
def m(states,start="A",**top):
    d={"StartAt":start,"States":states}; d.update(top); return d
succ={"Type":"Succeed"}
task=lambda **kw: dict({"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","TimeoutSeconds":30},**kw)

# structure
case("structure","missing_start_at",{"States":{"A":succ}},False,[""],SPEC+", Top-level fields: a State Machine MUST have a string field named StartAt")
case("structure","missing_states",{"StartAt":"A"},False,[""],SPEC+", Top-level fields: a State Machine MUST have an object field named States")
case("structure","state_without_type",m({"A":{"End":True}}),False,["/States/A"],SPEC+", States: all states MUST have a Type field")
case("structure","task_without_resource",m({"A":{"Type":"Task","End":True}}),False,["/States/A"],SPEC+", Task state: a Task state MUST include a Resource field")
case("structure","choice_without_choices",m({"A":{"Type":"Choice","Default":"B"},"B":succ}),False,["/States/A"],SPEC+", Choice state: a Choice state MUST have a Choices field")
case("structure","parallel_without_branches",m({"A":{"Type":"Parallel","End":True}}),False,["/States/A"],SPEC+", Parallel state: MUST contain a field named Branches")
case("structure","map_without_processor",m({"A":{"Type":"Map","End":True}}),False,["/States/A"],G+", Map state: ItemProcessor (or the legacy Iterator) is required")
case("structure","end_is_a_string",m({"A":{"Type":"Pass","End":"true"}}),False,["/States/A/End"],SPEC+", Transitions: End is a boolean")
case("structure","unknown_top_level_field",dict(m({"A":succ}),Coment="x"),False,["/Coment"],"AWS CreateStateMachine refuses additional properties: SCHEMA_VALIDATION_FAILED (quoted in ChristopheBougere/stepfunctions-local#38)")
case("structure","unknown_state_field",m({"A":{"Type":"Pass","Nxt":"B","End":True}}),False,["/States/A/Nxt"],"AWS: SCHEMA_VALIDATION_FAILED: Field 'X' is not supported (floci-io/floci#2735, measured)")
case("structure","retry_on_pass",m({"A":{"Type":"Pass","End":True,"Retry":[{"ErrorEquals":["States.ALL"]}]}}),False,["/States/A/Retry"],"AWS refuses Retry on Pass, Wait, Choice, Succeed, Fail (floci-io/floci#2735, measured with validate-state-machine-definition)")
case("structure","catch_on_wait",m({"A":{"Type":"Wait","Seconds":1,"End":True,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"A"}]}}),False,["/States/A/Catch"],"AWS refuses Catch on Pass, Wait, Choice, Succeed, Fail (floci-io/floci#2735)")
case("structure","timeout_on_pass",m({"A":{"Type":"Pass","TimeoutSeconds":5,"End":True}}),False,["/States/A/TimeoutSeconds"],"AWS refuses TimeoutSeconds outside Task (floci-io/floci#2735)")
case("structure","next_on_succeed",m({"A":{"Type":"Succeed","Next":"A"}}),False,["/States/A/Next"],SPEC+", Succeed state: no Next field")
case("structure","result_path_on_wait",m({"A":{"Type":"Wait","Seconds":1,"ResultPath":None,"End":True}}),False,["/States/A/ResultPath"],"AWS: Field 'ResultPath' is not supported (quoted in sam-goodwin/functionless#308)")
case("structure","unknown_state_type",m({"A":{"Type":"Tsk","End":True}}),False,["/States/A/Type"],SPEC+", States: the Type is one of the eight state types")
case("structure","lowercase_state_type",m({"A":{"Type":"pass","End":True}}),False,["/States/A/Type"],SPEC+", field values are case-sensitive")
case("structure","state_name_81_chars",m({"x"*81:succ},start="x"*81),False,["/States/"+"x"*81],"AWS: INVALID_STATE_NAME ... exceeds the 80-character limit (quoted in asl-validator#69)")
case("structure","state_name_80_chars",m({"x"*80:succ},start="x"*80),True,[],"AWS: state names up to 80 characters are accepted (asl-validator#69)")
case("structure","duplicate_name_across_branches",m({"P":{"Type":"Parallel","End":True,"Branches":[{"StartAt":"W","States":{"W":succ}},{"StartAt":"W","States":{"W":succ}}]}},start="P"),False,["/States/P/Branches/1/States/W"],"AWS: DUPLICATE_STATE_NAME (quoted in aws-cloudformation/cfn-lint#3616); "+SPEC+": state names unique within the whole state machine")
case("structure","neither_next_nor_end",m({"A":{"Type":"Pass"}}),False,["/States/A"],SPEC+", Transitions: every non-terminal state MUST have Next or End")
case("structure","both_next_and_end",m({"A":{"Type":"Pass","Next":"B","End":True},"B":succ}),False,["/States/A"],SPEC+", Transitions: Next or End, but not both")
case("structure","query_language_unknown",dict(m({"A":succ}),QueryLanguage="JSONpath"),False,["/QueryLanguage"],G+", QueryLanguage is JSONPath or JSONata")
case("structure","jsonpath_state_in_jsonata_machine",dict(m({"A":{"Type":"Pass","QueryLanguage":"JSONPath","End":True}}),QueryLanguage="JSONata"),False,["/States/A/QueryLanguage"],"AWS: 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine (floci-io/floci#2968, measured)")
case("structure","parameters_in_jsonata_state",m({"A":{"Type":"Pass","QueryLanguage":"JSONata","Parameters":{"a":1},"End":True}}),False,["/States/A/Parameters"],G+", Transforming data with JSONata: JSONata states use Arguments and Output only")
case("structure","output_in_jsonpath_state",m({"A":{"Type":"Pass","Output":{"a":1},"End":True}}),False,["/States/A/Output"],"AWS: The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage (floci-io/floci#2968)")
case("structure","query_language_on_item_processor",m({"M":{"Type":"Map","End":True,"ItemProcessor":{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":succ}}}},start="M"),False,["/States/M/ItemProcessor/QueryLanguage"],"AWS: ItemProcessor cannot declare QueryLanguage: Field 'QueryLanguage' is not supported (floci-io/floci#2968)")
case("structure","jsonata_state_in_jsonpath_machine",m({"A":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $states.input %}","End":True}}),True,[],G+", Transforming data with JSONata: a state can set QueryLanguage JSONata in a JSONPath machine")

# transitions
case("transitions","unknown_start_at",m({"First":succ},start="Frist"),False,["/StartAt"],SPEC+", Top-level fields: StartAt MUST exactly match one of the names of the States")
case("transitions","unknown_next",m({"A":{"Type":"Pass","Next":"Bb"},"B":succ}),False,["/States/A/Next"],SPEC+", Transitions: the value of Next MUST exactly match the name of a state")
case("transitions","unknown_default",m({"A":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":True,"Next":"B"}],"Default":"Nope"},"B":succ}),False,["/States/A/Default"],SPEC+", Choice state: Default names a state")
case("transitions","unknown_catch_next",m({"A":task(End=True,Catch=[{"ErrorEquals":["States.ALL"],"Next":"Nope"}])}),False,["/States/A/Catch/0/Next"],SPEC+", Catchers: Next MUST match a state name")
case("transitions","next_out_of_a_branch",m({"P":{"Type":"Parallel","Next":"After","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Next":"After"}}}]},"After":succ},start="P"),False,["/States/P/Branches/0/States/B/Next"],SPEC+", Parallel state: a state in a branch MUST NOT have a Next that targets a field outside of that branch")
case("transitions","next_into_a_map_processor",m({"A":{"Type":"Pass","Next":"Inner"},"M":{"Type":"Map","End":True,"ItemProcessor":{"StartAt":"Inner","States":{"Inner":succ}}}}),False,["/States/A/Next"],G+", Map state: states outside the processor cannot transition into it")
case("transitions","unreachable_state",m({"A":succ,"B":succ}),False,["/States/B"],"AWS refuses unreachable states at CreateStateMachine; asl-validator reports them")
case("transitions","no_terminal_state",m({"A":{"Type":"Pass","Next":"A"}}),False,["/States"],"AWS refuses a workflow with no terminal state (floci-io/floci#2735, measured)")
case("transitions","reachable_by_catch_only",m({"A":task(End=True,Catch=[{"ErrorEquals":["States.ALL"],"Next":"F"}]),"F":{"Type":"Fail","Error":"E"}}),True,[],SPEC+", Catchers: Next is a transition")

# paths
case("paths","input_path_without_dollar",m({"A":{"Type":"Pass","InputPath":"a.b","End":True}}),False,["/States/A/InputPath"],G+", Using JSONPath paths: a path is a string beginning with $")
case("paths","parameters_value_not_a_path",m({"A":{"Type":"Pass","Parameters":{"x.$":"x"},"End":True}}),False,["/States/A/Parameters/x.$"],G+", Parameters: the value of a field ending in .$ must be a path or an intrinsic function")
case("paths","result_path_wildcard",m({"A":{"Type":"Pass","ResultPath":"$.a[*]","End":True}}),False,["/States/A/ResultPath"],G+", Using JSONPath paths: reference paths; the operators @ .. , : ? * aren't supported")
case("paths","result_path_filter",m({"A":{"Type":"Pass","ResultPath":"$.a[?(@.b)]","End":True}}),False,["/States/A/ResultPath"],G+", Reference paths: no filters")
case("paths","result_path_deep_scan",m({"A":{"Type":"Pass","ResultPath":"$..a","End":True}}),False,["/States/A/ResultPath"],G+", Reference paths: the operator .. isn't supported")
case("paths","catch_result_path_slice",m({"A":task(End=True,Catch=[{"ErrorEquals":["States.ALL"],"ResultPath":"$.e[0:1]","Next":"F"}]),"F":{"Type":"Fail"}}),False,["/States/A/Catch/0/ResultPath"],G+", Catch: ResultPath is a reference path")
case("paths","items_path_wildcard",m({"M":{"Type":"Map","ItemsPath":"$.a.*","End":True,"ItemProcessor":{"StartAt":"P","States":{"P":succ}}}},start="M"),False,["/States/M/ItemsPath"],G+", Map state: ItemsPath is a reference path")
case("paths","seconds_path_not_reference",m({"A":{"Type":"Wait","SecondsPath":"$.a[0,1]","End":True}}),False,["/States/A/SecondsPath"],"AWS: a ...Path value must be a reference path: Value is not a Reference Path (floci-io/floci#3733)")
case("paths","valid_paths",m({"A":{"Type":"Pass","InputPath":"$.order","Parameters":{"id.$":"$$.Execution.Id","items.$":"$.items[?(@.qty > 0)]"},"ResultPath":"$.result['x'][0]","OutputPath":"$","End":True}}),True,[],G+", Using JSONPath paths")
case("paths","intrinsic_unknown_name",m({"A":{"Type":"Pass","Parameters":{"x.$":"States.Formatt('a')"},"End":True}}),False,["/States/A/Parameters/x.$"],G+", Intrinsic functions for JSONPath states: the function list")
case("paths","intrinsic_wrong_arity",m({"A":{"Type":"Pass","Parameters":{"x.$":"States.ArrayRange(1, 2)"},"End":True}}),False,["/States/A/Parameters/x.$"],G+", Intrinsic functions: States.ArrayRange(start, end, step) takes three arguments")
case("paths","intrinsic_uuid_with_argument",m({"A":{"Type":"Pass","Parameters":{"x.$":"States.UUID($.a)"},"End":True}}),False,["/States/A/Parameters/x.$"],G+", Intrinsic functions: States.UUID takes no argument")
case("paths","intrinsic_unclosed",m({"A":{"Type":"Pass","Parameters":{"x.$":"States.Format('a {}', $.b"},"End":True}}),False,["/States/A/Parameters/x.$"],G+", Intrinsic functions: syntax")
case("paths","intrinsic_json_merge_deep",m({"A":{"Type":"Pass","Parameters":{"x.$":"States.JsonMerge($.a, $.b, true)"},"End":True}}),False,["/States/A/Parameters/x.$"],G+", Intrinsic functions: States.JsonMerge deep merging is not supported; the flag must be false")
case("paths","intrinsics_nested_valid",m({"A":{"Type":"Pass","Parameters":{"x.$":"States.Format('{} has {} items', $.name, States.ArrayLength($.items))","h.$":"States.Hash($.a, 'SHA-256')","r.$":"States.MathRandom(1, 10)"},"End":True}}),True,[],G+", Intrinsic functions for JSONPath states")
case("paths","fail_error_path_intrinsic",m({"F":{"Type":"Fail","ErrorPath":"States.Format('E{}', $.code)","CausePath":"$.cause"}},start="F"),True,[],G+", Fail state: ErrorPath and CausePath take a reference path or an intrinsic function")

# jsonata
case("jsonata","unclosed_expression",m({"A":{"Type":"Pass","Output":"{% $states.input ","End":True}},QueryLanguage="JSONata"),False,["/States/A/Output"],G+", Transforming data with JSONata: expressions are written \"{% <JSONata expression> %}\"")
case("jsonata","unbalanced_brackets",m({"A":{"Type":"Pass","Output":{"a":"{% $states.input.items[0 %}"},"End":True}},QueryLanguage="JSONata"),False,["/States/A/Output/a"],G+", Transforming data with JSONata; JSONata 2.0.6 grammar")
case("jsonata","empty_expression",m({"A":{"Type":"Pass","Output":"{%  %}","End":True}},QueryLanguage="JSONata"),False,["/States/A/Output"],G+", Transforming data with JSONata")
case("jsonata","valid_machine",m({"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"FunctionName":"f","Payload":"{% $states.input %}"},"TimeoutSeconds":"{% $states.input.t %}","Assign":{"r":"{% $states.result %}"},"Retry":[{"ErrorEquals":["Lambda.ServiceException"]}],"Next":"C"},"C":{"Type":"Choice","Choices":[{"Condition":"{% $r.ok = true %}","Next":"D"}],"Default":"D"},"D":{"Type":"Succeed","Output":"{% $r %}"}},QueryLanguage="JSONata"),True,[],G+", Transforming data with JSONata; Passing data between states with variables")
case("jsonata","choice_rule_with_variable",m({"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":True,"Next":"D"}],"Default":"D"},"D":succ},start="C",QueryLanguage="JSONata"),False,["/States/C/Choices/0"],G+", Choice state: JSONata rules use Condition")

# choice
ch=lambda rule: m({"C":{"Type":"Choice","Choices":[rule],"Default":"D"},"D":succ},start="C")
case("choice","two_operators",ch({"Variable":"$.n","NumericEquals":1,"NumericLessThan":5,"Next":"D"}),False,["/States/C/Choices/0"],SPEC+", Choice Rules: exactly one comparison operator")
case("choice","no_operator",ch({"Variable":"$.n","Next":"D"}),False,["/States/C/Choices/0"],SPEC+", Choice Rules: a rule MUST contain a comparison operator")
case("choice","missing_variable",ch({"StringEquals":"x","Next":"D"}),False,["/States/C/Choices/0"],SPEC+", Choice Rules: a comparison MUST have a Variable")
case("choice","numeric_operand_is_string",ch({"Variable":"$.n","NumericEquals":"1","Next":"D"}),False,["/States/C/Choices/0/NumericEquals"],SPEC+", Choice Rules: Numeric operators take numbers")
case("choice","misspelt_operator",ch({"Variable":"$.s","StringEqual":"x","Next":"D"}),False,["/States/C/Choices/0"],SPEC+", Choice Rules: the comparison operators")
case("choice","rule_without_next",ch({"Variable":"$.s","StringEquals":"x"}),False,["/States/C/Choices/0"],SPEC+", Choice state: each top-level Choice Rule MUST have a Next field")
case("choice","nested_rule_with_next",ch({"Not":{"Variable":"$.s","StringEquals":"x","Next":"D"},"Next":"D"}),False,["/States/C/Choices/0/Not/Next"],SPEC+", Choice state: nested rules MUST NOT contain Next")
case("choice","empty_and",ch({"And":[],"Next":"D"}),False,["/States/C/Choices/0/And"],SPEC+", Choice Rules: And and Or take a non-empty array of rules")
case("choice","empty_choices",m({"C":{"Type":"Choice","Choices":[],"Default":"D"},"D":succ},start="C"),False,["/States/C/Choices"],SPEC+", Choice state: Choices MUST be a non-empty array")
case("choice","nested_and_or_not_valid",ch({"And":[{"Variable":"$.a","IsPresent":True},{"Or":[{"Variable":"$.b","NumericGreaterThanEqualsPath":"$.min"},{"Not":{"Variable":"$.c","StringMatches":"log-*.txt"}}]}],"Next":"D"}),True,[],SPEC+", Choice Rules: And, Or, Not nest")
case("choice","string_matches_path_does_not_exist",ch({"Variable":"$.s","StringMatchesPath":"$.p","Next":"D"}),False,["/States/C/Choices/0"],SPEC+", Choice Rules: StringMatches has no Path form")

# retry / catch
case("retry_catch","states_all_not_last_retrier",m({"A":task(End=True,Retry=[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}])}),False,["/States/A/Retry/0"],SPEC+", Errors: States.ALL MUST appear in the last Retrier")
case("retry_catch","states_all_not_alone",m({"A":task(End=True,Catch=[{"ErrorEquals":["X","States.ALL"],"Next":"F"}]),"F":{"Type":"Fail"}}),False,["/States/A/Catch/0/ErrorEquals"],SPEC+", Errors: States.ALL MUST appear alone in its ErrorEquals")
case("retry_catch","empty_error_equals",m({"A":task(End=True,Retry=[{"ErrorEquals":[]}])}),False,["/States/A/Retry/0/ErrorEquals"],SPEC+", Retrying after an error: ErrorEquals is a non-empty array")
case("retry_catch","negative_max_attempts",m({"A":task(End=True,Retry=[{"ErrorEquals":["X"],"MaxAttempts":-1}])}),False,["/States/A/Retry/0/MaxAttempts"],SPEC+", Retrying after an error: MaxAttempts MUST be a non-negative integer")
case("retry_catch","backoff_below_one",m({"A":task(End=True,Retry=[{"ErrorEquals":["X"],"BackoffRate":0.5}])}),False,["/States/A/Retry/0/BackoffRate"],SPEC+", Retrying after an error: BackoffRate MUST be greater than or equal to 1.0")
case("retry_catch","interval_zero",m({"A":task(End=True,Retry=[{"ErrorEquals":["X"],"IntervalSeconds":0}])}),False,["/States/A/Retry/0/IntervalSeconds"],SPEC+", Retrying after an error: IntervalSeconds MUST be a positive integer")
case("retry_catch","jitter_unknown",m({"A":task(End=True,Retry=[{"ErrorEquals":["X"],"JitterStrategy":"HALF"}])}),False,["/States/A/Retry/0/JitterStrategy"],G+", Handling errors: JitterStrategy is FULL or NONE")
case("retry_catch","catch_without_next",m({"A":task(End=True,Catch=[{"ErrorEquals":["X"]}])}),False,["/States/A/Catch/0"],SPEC+", Catchers: a Catcher MUST contain Next")
case("retry_catch","retrier_unknown_field",m({"A":task(End=True,Retry=[{"ErrorEquals":["X"],"MaxAttempt":2}])}),False,["/States/A/Retry/0/MaxAttempt"],"AWS closed schema: SCHEMA_VALIDATION_FAILED for unknown fields")
case("retry_catch","zero_attempts_valid",m({"A":task(End=True,Retry=[{"ErrorEquals":["X"],"MaxAttempts":0,"BackoffRate":1,"MaxDelaySeconds":10,"JitterStrategy":"FULL"},{"ErrorEquals":["States.ALL"]}])}),True,[],SPEC+", Retrying after an error: MaxAttempts 0 never retries")

# per type
case("states","wait_two_fields",m({"A":{"Type":"Wait","Seconds":1,"Timestamp":"2026-01-01T00:00:00Z","End":True}}),False,["/States/A"],SPEC+", Wait state: exactly one of Seconds, SecondsPath, Timestamp, TimestampPath")
case("states","wait_no_field",m({"A":{"Type":"Wait","End":True}}),False,["/States/A"],SPEC+", Wait state: exactly one time field")
case("states","wait_bad_timestamp",m({"A":{"Type":"Wait","Timestamp":"2026-01-01 00:00:00","End":True}}),False,["/States/A/Timestamp"],SPEC+", Timestamps: RFC3339 with an uppercase T")
case("states","fail_error_and_error_path",m({"F":{"Type":"Fail","Error":"E","ErrorPath":"$.e"}},start="F"),False,["/States/F"],G+", Fail state: Error or ErrorPath, not both")
case("states","fail_cause_and_cause_path",m({"F":{"Type":"Fail","Cause":"c","CausePath":"$.c"}},start="F"),False,["/States/F"],G+", Fail state: Cause or CausePath, not both")
case("states","task_timeout_and_path",m({"A":task(End=True,TimeoutSecondsPath="$.t")}),False,["/States/A"],SPEC+", Task state: not both TimeoutSeconds and TimeoutSecondsPath")
case("states","task_heartbeat_not_below_timeout",m({"A":task(End=True,HeartbeatSeconds=60)}),False,["/States/A/HeartbeatSeconds"],SPEC+", Task state: HeartbeatSeconds MUST be smaller than TimeoutSeconds")
case("states","task_timeout_zero",m({"A":dict(task(End=True),TimeoutSeconds=0)}),False,["/States/A/TimeoutSeconds"],SPEC+", Task state: TimeoutSeconds MUST be a positive integer")
case("states","map_processor_and_iterator",m({"M":{"Type":"Map","End":True,"ItemProcessor":{"StartAt":"P","States":{"P":succ}},"Iterator":{"StartAt":"Q","States":{"Q":succ}}}},start="M"),False,["/States/M"],G+", Map state: ItemProcessor replaces the deprecated Iterator")
case("states","map_item_reader_inline",m({"M":{"Type":"Map","End":True,"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"b","Key":"k"}},"ItemProcessor":{"StartAt":"P","States":{"P":succ}}}},start="M"),False,["/States/M/ItemReader"],G+", Map state in Distributed mode: ItemReader is a Distributed Map field")
case("states","map_max_concurrency_negative",m({"M":{"Type":"Map","End":True,"MaxConcurrency":-1,"ItemProcessor":{"StartAt":"P","States":{"P":succ}}}},start="M"),False,["/States/M/MaxConcurrency"],"AWS: Minimum value is 0 (floci-io/floci#3733, measured)")
case("states","map_tolerated_percentage_over_100",m({"M":{"Type":"Map","End":True,"ToleratedFailurePercentage":101,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":succ}}}},start="M"),False,["/States/M/ToleratedFailurePercentage"],"AWS: ToleratedFailurePercentage Maximum value is 100.0 (floci-io/floci#3733)")
case("states","map_distributed_without_execution_type",m({"M":{"Type":"Map","End":True,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":succ}}}},start="M"),False,["/States/M/ItemProcessor"],G+", ItemProcessor: ExecutionType is required in Distributed mode")
case("states","legacy_iterator_valid",m({"M":{"Type":"Map","End":True,"ItemsPath":"$.items","Parameters":{"i.$":"$$.Map.Item.Value"},"MaxConcurrency":2,"Iterator":{"StartAt":"P","States":{"P":succ}}}},start="M"),True,[],G+", Map state: the legacy Iterator and Parameters are still accepted")

# workflow type
exp=lambda r: m({"A":dict(task(End=True),Resource=r)})
case("workflow_type","express_sync",exp("arn:aws:states:::ecs:runTask.sync"),False,["/States/A/Resource"],G+", Choosing workflow type: Express workflows do not support .sync",typ="EXPRESS")
case("workflow_type","express_sync2",exp("arn:aws:states:::states:startExecution.sync:2"),False,["/States/A/Resource"],G+", Choosing workflow type: Express workflows do not support .sync",typ="EXPRESS")
case("workflow_type","express_wait_for_task_token",exp("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),False,["/States/A/Resource"],G+", Choosing workflow type: Express workflows do not support .waitForTaskToken",typ="EXPRESS")
case("workflow_type","express_activity",exp("arn:aws:states:us-east-1:123456789012:activity:approve"),False,["/States/A/Resource"],G+", Choosing workflow type: Express workflows do not support activities",typ="EXPRESS")
case("workflow_type","standard_sync",exp("arn:aws:states:::ecs:runTask.sync"),True,[],G+", Service integration patterns: Standard workflows support .sync")
case("workflow_type","express_request_response",exp("arn:aws:states:::sqs:sendMessage"),True,[],G+", Choosing workflow type: Express workflows support request-response",typ="EXPRESS")


case("states","task_resource_not_an_arn",m({"A":dict(task(End=True),Resource="createToken")}),False,["/States/A/Resource"],SPEC+", Task state: Resource MUST be a URI; AWS refuses non-ARN resources (serverless-operations/serverless-step-functions#36)")
case("states","task_credentials_without_role",m({"A":task(End=True,Credentials={})}),False,["/States/A/Credentials"],G+", Accessing resources in other AWS accounts: Credentials takes RoleArn")
case("states","reader_csv_given_without_headers",m({"M":{"Type":"Map","End":True,"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"GIVEN"},"Parameters":{"Bucket":"b","Key":"k"}},"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":succ}}}},start="M"),False,["/States/M/ItemReader/ReaderConfig"],G+", ItemReader (Map): CSVHeaderLocation GIVEN requires CSVHeaders")
case("states","reader_max_items_and_path",m({"M":{"Type":"Map","End":True,"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON","MaxItems":5,"MaxItemsPath":"$.n"},"Parameters":{"Bucket":"b","Key":"k"}},"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":succ}}}},start="M"),False,["/States/M/ItemReader/ReaderConfig"],"AWS: There should only be one of the following fields: [MaxItems, MaxItemsPath] (floci-io/floci#3733, measured)")
case("states","writer_bad_transformation",m({"M":{"Type":"Map","End":True,"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b","Prefix":"p"},"WriterConfig":{"OutputType":"JSON","Transformation":"FLAT"}},"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":succ}}}},start="M"),False,["/States/M/ResultWriter/WriterConfig/Transformation"],G+", ResultWriter (Map): Transformation is NONE, FLATTEN or COMPACT")
case("structure","top_level_timeout_zero",dict(m({"A":succ}),TimeoutSeconds=0),False,["/TimeoutSeconds"],SPEC+", Top-level fields: TimeoutSeconds is a positive integer")
case("jsonata","jsonata_state_with_intrinsic_string_is_plain",m({"A":{"Type":"Pass","Output":{"s":"States.Format('x')"},"End":True}},QueryLanguage="JSONata"),True,[],G+", Transforming data with JSONata: JSONata states do not evaluate intrinsic functions; the string is a literal")
case("paths","context_object_path_valid",m({"A":{"Type":"Pass","Parameters":{"start.$":"$$.Execution.StartTime","name.$":"$$.State.Name","retry.$":"$$.State.RetryCount"},"End":True}}),True,[],G+", Accessing execution data from the Context object")
case("paths","variable_path_valid",m({"A":{"Type":"Pass","Assign":{"x":1},"Next":"B"},"B":{"Type":"Pass","Parameters":{"v.$":"$x"},"End":True}}),True,[],G+", Passing data between states with variables: JSONPath reads $name")

case("structure","parallel_without_a_branch",m({"P":{"Type":"Parallel","Branches":[],"End":True}},start="P"),False,["/States/P/Branches"],SPEC+", Parallel state: Branches is an array of machines (at least one)")
case("warnings","task_without_timeout_is_valid",m({"A":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","End":True}}),True,[],SPEC+", Task state: TimeoutSeconds is optional (default 99999999); Stepwise only warns (SW800)")
case("warnings","lambda_without_retry_is_valid",m({"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"TimeoutSeconds":5,"End":True}}),True,[],G+", Handling transient Lambda service exceptions is a best practice, not a requirement; Stepwise only warns (SW801)")
case("warnings","choice_without_default_is_valid",m({"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":True,"Next":"D"}]},"D":succ},start="C"),True,[],SPEC+", Choice state: Default is optional; no match raises States.NoChoiceMatched at run time")
case("warnings","unused_variable_is_valid",m({"A":{"Type":"Pass","Assign":{"never":1},"End":True}}),True,[],G+", Passing data between states with variables: assigning without reading is allowed; Stepwise only warns (SW802)")
case("warnings","undefined_variable_is_valid_at_creation",m({"A":{"Type":"Pass","Parameters":{"v.$":"$ghost"},"End":True}}),True,[],G+", Passing data between states with variables: a missing variable fails at run time; Stepwise only warns (SW803)")

case("variables","reserved_states_variable",m({"A":{"Type":"Pass","Assign":{"states":1},"End":True}}),False,["/States/A/Assign/states"],G+", Passing data between states with variables: $states is a reserved variable")
case("variables","variable_name_with_dash",m({"A":{"Type":"Pass","Assign":{"my-var":1},"End":True}}),False,["/States/A/Assign/my-var"],G+", Passing data between states with variables: variable names follow Unicode identifier rules (UAX #31)")
case("variables","assign_on_succeed",m({"A":{"Type":"Succeed","Assign":{"x":1}}}),False,["/States/A/Assign"],G+", Passing data between states with variables: Assign is supported by Pass, Task, Map, Parallel, Choice and Wait")
case("variables","assign_in_choice_rule_and_catcher_valid",m({"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsPresent":True,"Assign":{"seen":True},"Next":"T"}],"Default":"T","Assign":{"seen":False}},"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","TimeoutSeconds":5,"Parameters":{"MessageBody.$":"$seen"},"Catch":[{"ErrorEquals":["States.ALL"],"Assign":{"failed":True},"Next":"F"}],"End":True},"F":{"Type":"Fail","ErrorPath":"States.Format('failed={}', $failed)"}},start="C"),True,[],G+", Passing data between states with variables: Assign in Choice rules, Choice Default and Catch")

case("paths","result_path_into_context_object",m({"A":{"Type":"Pass","ResultPath":"$$.Execution.Id","End":True}}),False,["/States/A/ResultPath"],G+", ResultPath: the result is placed in the state input, a reference path starting with $")
case("paths","seconds_path_from_context_object",m({"A":{"Type":"Wait","SecondsPath":"$$.Execution.Input.n","End":True}}),False,["/States/A/SecondsPath"],"AWS: a ...Path value must be a reference path; $$.Execution.Input.n is rejected with Value is not a Reference Path, only ItemsPath accepts the Context Object (floci-io/floci#3733, measured)")
case("paths","items_path_from_context_object_valid",m({"M":{"Type":"Map","ItemsPath":"$$.Execution.Input.items","End":True,"ItemProcessor":{"StartAt":"P","States":{"P":succ}}}},start="M"),True,[],"AWS: only ItemsPath accepts the Context Object (floci-io/floci#3733, measured)")

for area,name,c in cases:
    os.makedirs(area,exist_ok=True)
    with open(f"{area}/{name}.json","w") as f:
        json.dump(c,f,indent=2,ensure_ascii=False); f.write("\n")
print(len(cases))
