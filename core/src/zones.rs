//! Zone maths: FTP → Coggan power zones, heart-rate zone scaling, pace parsing and scaling.
