//! End-to-end test support: a fake TrainingPeaks served over real HTTPS on loopback.
