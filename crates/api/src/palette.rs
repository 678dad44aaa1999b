//! The palette: the flow states and the service integrations a user can drop onto the canvas.
//! Each action is a Task with the right `Resource` and a parameter skeleton that validates with
//! no warnings (a timeout, and for Lambda the retry AWS recommends), so what the user drops is
//! already a good example of its kind.

use serde_json::{Value, json};

use crate::wire::PaletteItem;

const REGION: &str = "us-east-1";
const ACCOUNT: &str = "123456789012";

/// One palette entry: what it shows and the fields it writes.
struct Entry {
    id: &'static str,
    label: &'static str,
    group: &'static str,
    state_type: &'static str,
    description: &'static str,
    keywords: &'static str,
}

const ENTRIES: &[Entry] = &[
    flow("pass", "Pass", "Passes its input to its output, optionally reshaped"),
    flow("choice", "Choice", "Branches on rules over the input"),
    flow("wait", "Wait", "Waits for seconds or until a timestamp"),
    flow("succeed", "Succeed", "Ends the execution successfully"),
    flow("fail", "Fail", "Ends the execution with an error and a cause"),
    flow("parallel", "Parallel", "Runs branches at the same time"),
    flow("map", "Map", "Runs the same steps for every item of a list"),
    action("lambda-invoke", "Lambda Invoke", "Calls a Lambda function", "lambda function invoke"),
    action(
        "sns-publish",
        "SNS Publish",
        "Publishes a message to a topic",
        "sns notification topic",
    ),
    action("sqs-send", "SQS SendMessage", "Sends a message to a queue", "sqs queue message"),
    action("dynamodb-get", "DynamoDB GetItem", "Reads an item", "dynamodb table read"),
    action("dynamodb-put", "DynamoDB PutItem", "Writes an item", "dynamodb table write"),
    action("dynamodb-update", "DynamoDB UpdateItem", "Updates an item", "dynamodb table"),
    action("dynamodb-delete", "DynamoDB DeleteItem", "Deletes an item", "dynamodb table remove"),
    action(
        "sfn-start",
        "Step Functions StartExecution",
        "Runs another state machine and waits for it (.sync)",
        "nested child workflow",
    ),
    action(
        "batch-submit",
        "Batch SubmitJob",
        "Runs a Batch job and waits for it (.sync)",
        "batch job",
    ),
    action(
        "ecs-run",
        "ECS RunTask",
        "Runs a container task and waits for it (.sync)",
        "ecs fargate container",
    ),
    action(
        "events-put",
        "EventBridge PutEvents",
        "Sends events to an event bus",
        "eventbridge events bus",
    ),
    action("glue-start", "Glue StartJobRun", "Starts a Glue job", "glue etl job"),
    action(
        "http-invoke",
        "HTTP Invoke",
        "Calls an HTTPS API through an EventBridge connection",
        "http https api rest",
    ),
    action(
        "activity",
        "Activity",
        "Waits for a worker polling an activity",
        "activity worker poll",
    ),
    action(
        "aws-sdk",
        "AWS SDK call",
        "Calls any AWS API action (here S3 ListBuckets)",
        "sdk api s3 any service",
    ),
    action(
        "callback",
        "Callback (wait for task token)",
        "Sends a task token and waits until SendTaskSuccess",
        "callback token human approval wait",
    ),
];

const fn flow(id: &'static str, label: &'static str, description: &'static str) -> Entry {
    Entry { id, label, group: "Flow", state_type: label, description, keywords: "" }
}

const fn action(
    id: &'static str,
    label: &'static str,
    description: &'static str,
    keywords: &'static str,
) -> Entry {
    Entry { id, label, group: "Actions", state_type: "Task", description, keywords }
}

/// The palette, in display order.
pub fn items() -> Vec<PaletteItem> {
    ENTRIES
        .iter()
        .map(|e| PaletteItem {
            id: e.id.to_owned(),
            label: e.label.to_owned(),
            group: e.group.to_owned(),
            state_type: e.state_type.to_owned(),
            description: e.description.to_owned(),
            keywords: e.keywords.to_owned(),
        })
        .collect()
}

/// An item's state type and name, or `None` for an unknown id.
pub(crate) fn find(id: &str) -> Option<(&'static str, &'static str)> {
    ENTRIES.iter().find(|e| e.id == id).map(|e| (e.state_type, e.label))
}

/// The fields an action writes into its new Task state (field name → value), in order.
pub(crate) fn fields(id: &str) -> Vec<(&'static str, Value)> {
    let arn = |service: &str, rest: &str| format!("arn:aws:{service}:{REGION}:{ACCOUNT}:{rest}");
    let task = |resource: String, parameters: Value| {
        vec![
            ("Resource", Value::from(resource)),
            ("Parameters", parameters),
            ("TimeoutSeconds", json!(60)),
        ]
    };
    let integration = |action: &str| format!("arn:aws:states:::{action}");
    match id {
        "lambda-invoke" => {
            let mut fields = task(
                integration("lambda:invoke"),
                json!({ "FunctionName": arn("lambda", "function:my-function"), "Payload.$": "$" }),
            );
            fields.push(("ResultSelector", json!({ "result.$": "$.Payload" })));
            fields.push((
                "Retry",
                json!([{
                    "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException",
                                    "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
                    "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2, "JitterStrategy": "FULL"
                }]),
            ));
            fields
        }
        "sns-publish" => task(
            integration("sns:publish"),
            json!({ "TopicArn": arn("sns", "my-topic"), "Message.$": "$" }),
        ),
        "sqs-send" => task(
            integration("sqs:sendMessage"),
            json!({ "QueueUrl": format!("https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/my-queue"), "MessageBody.$": "$" }),
        ),
        "dynamodb-get" => task(
            integration("dynamodb:getItem"),
            json!({ "TableName": "my-table", "Key": { "id": { "S.$": "$.id" } } }),
        ),
        "dynamodb-put" => task(
            integration("dynamodb:putItem"),
            json!({ "TableName": "my-table", "Item": { "id": { "S.$": "$.id" } } }),
        ),
        "dynamodb-update" => task(
            integration("dynamodb:updateItem"),
            json!({
                "TableName": "my-table",
                "Key": { "id": { "S.$": "$.id" } },
                "UpdateExpression": "SET #value = :value",
                "ExpressionAttributeNames": { "#value": "value" },
                "ExpressionAttributeValues": { ":value": { "S.$": "$.value" } }
            }),
        ),
        "dynamodb-delete" => task(
            integration("dynamodb:deleteItem"),
            json!({ "TableName": "my-table", "Key": { "id": { "S.$": "$.id" } } }),
        ),
        "sfn-start" => task(
            integration("states:startExecution.sync:2"),
            json!({ "StateMachineArn": arn("states", "stateMachine:my-child"), "Input.$": "$" }),
        ),
        "batch-submit" => task(
            integration("batch:submitJob.sync"),
            json!({
                "JobName": "my-job",
                "JobQueue": arn("batch", "job-queue/my-queue"),
                "JobDefinition": arn("batch", "job-definition/my-job:1")
            }),
        ),
        "ecs-run" => task(
            integration("ecs:runTask.sync"),
            json!({
                "LaunchType": "FARGATE",
                "Cluster": arn("ecs", "cluster/my-cluster"),
                "TaskDefinition": arn("ecs", "task-definition/my-task:1")
            }),
        ),
        "events-put" => task(
            integration("events:putEvents"),
            json!({ "Entries": [{
                "Detail.$": "$", "DetailType": "my-detail-type", "Source": "my.application", "EventBusName": "default"
            }] }),
        ),
        "glue-start" => task(integration("glue:startJobRun"), json!({ "JobName": "my-glue-job" })),
        "http-invoke" => task(
            integration("http:invoke"),
            json!({
                "ApiEndpoint": "https://api.example.com/items",
                "Method": "GET",
                "Authentication": { "ConnectionArn": arn("events", "connection/my-connection/00000000-0000-0000-0000-000000000000") }
            }),
        ),
        "activity" => vec![
            ("Resource", Value::from(arn("states", "activity:my-activity"))),
            ("TimeoutSeconds", json!(3600)),
            ("HeartbeatSeconds", json!(60)),
        ],
        "aws-sdk" => task(integration("aws-sdk:s3:listBuckets"), json!({})),
        "callback" => {
            let mut fields = task(
                integration("sqs:sendMessage.waitForTaskToken"),
                json!({
                    "QueueUrl": format!("https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/my-queue"),
                    "MessageBody": { "input.$": "$", "taskToken.$": "$$.Task.Token" }
                }),
            );
            fields[2] = ("TimeoutSeconds", json!(86400));
            fields.push(("HeartbeatSeconds", json!(3600)));
            fields
        }
        _ => Vec::new(),
    }
}
