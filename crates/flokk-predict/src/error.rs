//! Errors of the predictive models.

/// Why a model could not be fitted or evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PredictError {
    /// No rows (or only zero weights) to fit on.
    #[error("no customers to fit the {model} model on")]
    NoData {
        /// Model name.
        model: &'static str,
    },
    /// The optimiser stopped without meeting its convergence test.
    #[error(
        "the {model} fit did not converge after {iterations} iterations (gradient norm {gradient_norm:.3e})"
    )]
    NotConverged {
        /// Model name.
        model: &'static str,
        /// Iterations used.
        iterations: usize,
        /// Infinity norm of the gradient of the mean negative log-likelihood.
        gradient_norm: f64,
    },
    /// The log-likelihood was not finite at the starting point.
    #[error("the {model} log-likelihood is not finite at the starting values")]
    NonFiniteStart {
        /// Model name.
        model: &'static str,
    },
    /// The fit ran off towards a boundary of the parameter space.
    #[error(
        "the {model} fit ran off to {parameter} = {value:e}: the data do not identify the model \
         (for example, too little variation in purchase rates or dropout)"
    )]
    NotIdentified {
        /// Model name.
        model: &'static str,
        /// Parameter that ran off.
        parameter: &'static str,
        /// Its value.
        value: f64,
    },
}
