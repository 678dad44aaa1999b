use indexmap::IndexMap;

/// A state machine, or one nested machine (a Parallel branch, a Map item processor).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Definition {
    /// JSON Pointer of this machine in the document: "" at the top, "/States/P/Branches/0" inside.
    pub pointer: String,
    pub start_at: Option<String>,
    pub comment: Option<String>,
    /// States in document order.
    pub states: IndexMap<String, State>,
}

/// The ASL state types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StateType {
    Pass,
    Task,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

impl StateType {
    pub fn parse(name: &str) -> Option<StateType> {
        Some(match name {
            "Pass" => StateType::Pass,
            "Task" => StateType::Task,
            "Choice" => StateType::Choice,
            "Wait" => StateType::Wait,
            "Succeed" => StateType::Succeed,
            "Fail" => StateType::Fail,
            "Parallel" => StateType::Parallel,
            "Map" => StateType::Map,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StateType::Pass => "Pass",
            StateType::Task => "Task",
            StateType::Choice => "Choice",
            StateType::Wait => "Wait",
            StateType::Succeed => "Succeed",
            StateType::Fail => "Fail",
            StateType::Parallel => "Parallel",
            StateType::Map => "Map",
        }
    }

    /// Succeed and Fail end an execution by their type; the others need `Next` or `End`.
    pub fn is_terminal(self) -> bool {
        matches!(self, StateType::Succeed | StateType::Fail)
    }
}

/// One state, with what the graph needs: its transitions and nested machines.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub name: String,
    /// JSON Pointer of the state object, e.g. "/States/Hello".
    pub pointer: String,
    pub state_type: StateType,
    pub next: Option<String>,
    pub end: bool,
    pub choices: Vec<ChoiceRule>,
    pub default: Option<String>,
    pub catch: Vec<Catcher>,
    /// Parallel branches.
    pub branches: Vec<Definition>,
    /// Map `ItemProcessor`, or the legacy `Iterator`.
    pub item_processor: Option<Definition>,
}

/// A Choice rule as the graph shows it: where it goes and a readable form of its condition.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceRule {
    pub next: Option<String>,
    pub label: String,
}

/// A Catch entry: the errors it catches and where it goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Catcher {
    pub error_equals: Vec<String>,
    pub next: Option<String>,
}
