//! The workout-structure compiler: friendly or wire JSON in, the TrainingPeaks wire structure
//! out, plus planned metrics and a readable summary.
