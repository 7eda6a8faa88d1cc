//! The names the FIT profile gives the enum values [`super::decode`] reports as text (sport,
//! sub-sport, lap trigger, manufacturer, file type), from the profile of Garmin's FIT SDK. A
//! value the table does not name is reported as its number, as the profile's readers do.
//!
//! Each table is one `value name` pair a line: a few kilobytes, looked up a handful of times
//! per file, so a scan beats a generated `match` per type. A test checks every value of each
//! table against the `fitparser` crate's profile.

/// The profile's name for `value` in `table`, or the number when it has none.
pub(super) fn name(table: &str, value: i64) -> String {
    table
        .lines()
        .find_map(|line| {
            let (number, name) = line.split_once(' ')?;
            (number.parse::<i64>().ok()? == value).then_some(name)
        })
        .map_or_else(|| value.to_string(), str::to_string)
}

/// `file_id.type` (field 0): what kind of FIT file it is.
pub(super) const FILE: &str = "\
1 device\n\
2 settings\n\
3 sport\n\
4 activity\n\
5 workout\n\
6 course\n\
7 schedules\n\
9 weight\n\
10 totals\n\
11 goals\n\
14 blood_pressure\n\
15 monitoring_a\n\
20 activity_summary\n\
28 monitoring_daily\n\
32 monitoring_b\n\
34 segment\n\
35 segment_list\n\
40 exd_configuration\n\
247 mfg_range_min\n\
254 mfg_range_max\n\
";

/// `manufacturer` (in `file_id` and `device_info`).
pub(super) const MANUFACTURER: &str = "\
1 garmin\n\
2 garmin_fr405_antfs\n\
3 zephyr\n\
4 dayton\n\
5 idt\n\
6 srm\n\
7 quarq\n\
8 ibike\n\
9 saris\n\
10 spark_hk\n\
11 tanita\n\
12 echowell\n\
13 dynastream_oem\n\
14 nautilus\n\
15 dynastream\n\
16 timex\n\
17 metrigear\n\
18 xelic\n\
19 beurer\n\
20 cardiosport\n\
21 a_and_d\n\
22 hmm\n\
23 suunto\n\
24 thita_elektronik\n\
25 gpulse\n\
26 clean_mobile\n\
27 pedal_brain\n\
28 peaksware\n\
29 saxonar\n\
30 lemond_fitness\n\
31 dexcom\n\
32 wahoo_fitness\n\
33 octane_fitness\n\
34 archinoetics\n\
35 the_hurt_box\n\
36 citizen_systems\n\
37 magellan\n\
38 osynce\n\
39 holux\n\
40 concept2\n\
41 shimano\n\
42 one_giant_leap\n\
43 ace_sensor\n\
44 brim_brothers\n\
45 xplova\n\
46 perception_digital\n\
47 bf1systems\n\
48 pioneer\n\
49 spantec\n\
50 metalogics\n\
51 4iiiis\n\
52 seiko_epson\n\
53 seiko_epson_oem\n\
54 ifor_powell\n\
55 maxwell_guider\n\
56 star_trac\n\
57 breakaway\n\
58 alatech_technology_ltd\n\
59 mio_technology_europe\n\
60 rotor\n\
61 geonaute\n\
62 id_bike\n\
63 specialized\n\
64 wtek\n\
65 physical_enterprises\n\
66 north_pole_engineering\n\
67 bkool\n\
68 cateye\n\
69 stages_cycling\n\
70 sigmasport\n\
71 tomtom\n\
72 peripedal\n\
73 wattbike\n\
76 moxy\n\
77 ciclosport\n\
78 powerbahn\n\
79 acorn_projects_aps\n\
80 lifebeam\n\
81 bontrager\n\
82 wellgo\n\
83 scosche\n\
84 magura\n\
85 woodway\n\
86 elite\n\
87 nielsen_kellerman\n\
88 dk_city\n\
89 tacx\n\
90 direction_technology\n\
91 magtonic\n\
92 1partcarbon\n\
93 inside_ride_technologies\n\
94 sound_of_motion\n\
95 stryd\n\
96 icg\n\
97 MiPulse\n\
98 bsx_athletics\n\
99 look\n\
100 campagnolo_srl\n\
101 body_bike_smart\n\
102 praxisworks\n\
103 limits_technology\n\
104 topaction_technology\n\
105 cosinuss\n\
106 fitcare\n\
107 magene\n\
108 giant_manufacturing_co\n\
109 tigrasport\n\
110 salutron\n\
111 technogym\n\
112 bryton_sensors\n\
113 latitude_limited\n\
114 soaring_technology\n\
115 igpsport\n\
116 thinkrider\n\
117 gopher_sport\n\
118 waterrower\n\
119 orangetheory\n\
120 inpeak\n\
121 kinetic\n\
122 johnson_health_tech\n\
123 polar_electro\n\
124 seesense\n\
125 nci_technology\n\
126 iqsquare\n\
127 leomo\n\
128 ifit_com\n\
129 coros_byte\n\
130 versa_design\n\
131 chileaf\n\
132 cycplus\n\
133 gravaa_byte\n\
134 sigeyi\n\
135 coospo\n\
136 geoid\n\
137 bosch\n\
138 kyto\n\
139 kinetic_sports\n\
140 decathlon_byte\n\
141 tq_systems\n\
142 tag_heuer\n\
143 keiser_fitness\n\
144 zwift_byte\n\
145 porsche_ep\n\
146 blackbird\n\
147 meilan_byte\n\
148 ezon\n\
149 laisi\n\
150 myzone\n\
151 abawo\n\
152 bafang\n\
153 luhong_technology\n\
255 development\n\
257 healthandlife\n\
258 lezyne\n\
259 scribe_labs\n\
260 zwift\n\
261 watteam\n\
262 recon\n\
263 favero_electronics\n\
264 dynovelo\n\
265 strava\n\
266 precor\n\
267 bryton\n\
268 sram\n\
269 navman\n\
270 cobi\n\
271 spivi\n\
272 mio_magellan\n\
273 evesports\n\
274 sensitivus_gauge\n\
275 podoon\n\
276 life_time_fitness\n\
277 falco_e_motors\n\
278 minoura\n\
279 cycliq\n\
280 luxottica\n\
281 trainer_road\n\
282 the_sufferfest\n\
283 fullspeedahead\n\
284 virtualtraining\n\
285 feedbacksports\n\
286 omata\n\
287 vdo\n\
288 magneticdays\n\
289 hammerhead\n\
290 kinetic_by_kurt\n\
291 shapelog\n\
292 dabuziduo\n\
293 jetblack\n\
294 coros\n\
295 virtugo\n\
296 velosense\n\
297 cycligentinc\n\
298 trailforks\n\
299 mahle_ebikemotion\n\
300 nurvv\n\
301 microprogram\n\
302 zone5cloud\n\
303 greenteg\n\
304 yamaha_motors\n\
305 whoop\n\
306 gravaa\n\
307 onelap\n\
308 monark_exercise\n\
309 form\n\
310 decathlon\n\
311 syncros\n\
312 heatup\n\
313 cannondale\n\
314 true_fitness\n\
315 RGT_cycling\n\
316 vasa\n\
317 race_republic\n\
318 fazua\n\
319 oreka_training\n\
320 lsec\n\
321 lululemon_studio\n\
322 shanyue\n\
323 spinning_mda\n\
324 hilldating\n\
325 aero_sensor\n\
326 nike\n\
327 magicshine\n\
328 ictrainer\n\
329 absolute_cycling\n\
330 eo_swimbetter\n\
331 mywhoosh\n\
332 ravemen\n\
333 tektro_racing_products\n\
334 darad_innovation_corporation\n\
335 cycloptim\n\
337 runna\n\
339 zepp\n\
340 peloton\n\
341 carv\n\
342 tissot\n\
345 real_velo\n\
346 wetech\n\
347 jespr\n\
348 huawei\n\
349 gotoes\n\
350 cadence_app\n\
5759 actigraphcorp\n\
";

/// `sport` (session field 5, lap field 25).
pub(super) const SPORT: &str = "\
0 generic\n\
1 running\n\
2 cycling\n\
3 transition\n\
4 fitness_equipment\n\
5 swimming\n\
6 basketball\n\
7 soccer\n\
8 tennis\n\
9 american_football\n\
10 training\n\
11 walking\n\
12 cross_country_skiing\n\
13 alpine_skiing\n\
14 snowboarding\n\
15 rowing\n\
16 mountaineering\n\
17 hiking\n\
18 multisport\n\
19 paddling\n\
20 flying\n\
21 e_biking\n\
22 motorcycling\n\
23 boating\n\
24 driving\n\
25 golf\n\
26 hang_gliding\n\
27 horseback_riding\n\
28 hunting\n\
29 fishing\n\
30 inline_skating\n\
31 rock_climbing\n\
32 sailing\n\
33 ice_skating\n\
34 sky_diving\n\
35 snowshoeing\n\
36 snowmobiling\n\
37 stand_up_paddleboarding\n\
38 surfing\n\
39 wakeboarding\n\
40 water_skiing\n\
41 kayaking\n\
42 rafting\n\
43 windsurfing\n\
44 kitesurfing\n\
45 tactical\n\
46 jumpmaster\n\
47 boxing\n\
48 floor_climbing\n\
49 baseball\n\
53 diving\n\
56 shooting\n\
58 winter_sport\n\
59 grinding\n\
62 hiit\n\
63 video_gaming\n\
64 racket\n\
65 wheelchair_push_walk\n\
66 wheelchair_push_run\n\
67 meditation\n\
68 para_sport\n\
69 disc_golf\n\
70 team_sport\n\
71 cricket\n\
72 rugby\n\
73 hockey\n\
74 lacrosse\n\
75 volleyball\n\
76 water_tubing\n\
77 wakesurfing\n\
78 water_sport\n\
79 archery\n\
80 mixed_martial_arts\n\
81 motor_sports\n\
82 snorkeling\n\
83 dance\n\
84 jump_rope\n\
85 pool_apnea\n\
86 mobility\n\
87 geocaching\n\
88 canoeing\n\
254 all\n\
";

/// `sub_sport` (session field 6).
pub(super) const SUB_SPORT: &str = "\
0 generic\n\
1 treadmill\n\
2 street\n\
3 trail\n\
4 track\n\
5 spin\n\
6 indoor_cycling\n\
7 road\n\
8 mountain\n\
9 downhill\n\
10 recumbent\n\
11 cyclocross\n\
12 hand_cycling\n\
13 track_cycling\n\
14 indoor_rowing\n\
15 elliptical\n\
16 stair_climbing\n\
17 lap_swimming\n\
18 open_water\n\
19 flexibility_training\n\
20 strength_training\n\
21 warm_up\n\
22 match\n\
23 exercise\n\
24 challenge\n\
25 indoor_skiing\n\
26 cardio_training\n\
27 indoor_walking\n\
28 e_bike_fitness\n\
29 bmx\n\
30 casual_walking\n\
31 speed_walking\n\
32 bike_to_run_transition\n\
33 run_to_bike_transition\n\
34 swim_to_bike_transition\n\
35 atv\n\
36 motocross\n\
37 backcountry\n\
38 resort\n\
39 rc_drone\n\
40 wingsuit\n\
41 whitewater\n\
42 skate_skiing\n\
43 yoga\n\
44 pilates\n\
45 indoor_running\n\
46 gravel_cycling\n\
47 e_bike_mountain\n\
48 commuting\n\
49 mixed_surface\n\
50 navigate\n\
51 track_me\n\
52 map\n\
53 single_gas_diving\n\
54 multi_gas_diving\n\
55 gauge_diving\n\
56 apnea_diving\n\
57 apnea_hunting\n\
58 virtual_activity\n\
59 obstacle\n\
62 breathing\n\
63 ccr_diving\n\
65 sail_race\n\
66 expedition\n\
67 ultra\n\
68 indoor_climbing\n\
69 bouldering\n\
70 hiit\n\
71 indoor_grinding\n\
72 hunting_with_dogs\n\
73 amrap\n\
74 emom\n\
75 tabata\n\
77 esport\n\
78 triathlon\n\
79 duathlon\n\
80 brick\n\
81 swim_run\n\
82 adventure_race\n\
83 trucker_workout\n\
84 pickleball\n\
85 padel\n\
86 indoor_wheelchair_walk\n\
87 indoor_wheelchair_run\n\
88 indoor_hand_cycling\n\
90 field\n\
91 ice\n\
92 ultimate\n\
93 platform\n\
94 squash\n\
95 badminton\n\
96 racquetball\n\
97 table_tennis\n\
98 overland\n\
99 trolling_motor\n\
110 fly_canopy\n\
111 fly_paraglide\n\
112 fly_paramotor\n\
113 fly_pressurized\n\
114 fly_navigate\n\
115 fly_timer\n\
116 fly_altimeter\n\
117 fly_wx\n\
118 fly_vfr\n\
119 fly_ifr\n\
121 dynamic_apnea\n\
123 enduro\n\
124 rucking\n\
125 rally\n\
126 pool_triathlon\n\
127 e_bike_enduro\n\
254 all\n\
";

/// `lap_trigger` (lap field 24).
pub(super) const LAP_TRIGGER: &str = "\
0 manual\n\
1 time\n\
2 distance\n\
3 position_start\n\
4 position_lap\n\
5 position_waypoint\n\
6 position_marked\n\
7 session_end\n\
8 fitness_equipment\n\
";

#[cfg(test)]
mod tests {
    use fitparser::profile::{FieldDataType, get_field_variant_as_string};

    use super::{FILE, LAP_TRIGGER, MANUFACTURER, SPORT, SUB_SPORT, name};

    /// Every value of each type's range reads as `fitparser` names it (or its number where the
    /// profile has no name), so the tables neither miss nor invent a name.
    #[test]
    fn names_match_the_profile_for_every_value() {
        let cases = [
            (FILE, FieldDataType::File, 255),
            (MANUFACTURER, FieldDataType::Manufacturer, 65_535),
            (SPORT, FieldDataType::Sport, 255),
            (SUB_SPORT, FieldDataType::SubSport, 255),
            (LAP_TRIGGER, FieldDataType::LapTrigger, 255),
        ];
        for (table, ty, max) in cases {
            for v in 0..=max {
                let want = if ty.is_named_variant(v) {
                    get_field_variant_as_string(ty, v)
                } else {
                    v.to_string()
                };
                assert_eq!(name(table, v), want, "{ty:?} {v}");
            }
        }
    }

    #[test]
    fn known_names() {
        assert_eq!(name(SPORT, 2), "cycling");
        assert_eq!(name(MANUFACTURER, 255), "development");
        assert_eq!(name(FILE, 4), "activity");
        assert_eq!(name(LAP_TRIGGER, 1), "time");
        assert_eq!(name(SUB_SPORT, 7), "road");
        assert_eq!(name(SPORT, 200), "200");
    }
}
