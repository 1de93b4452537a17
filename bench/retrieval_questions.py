"""The retrieval benchmark's question set: how customers ask about the demo catalogue's problems.

Written by hand from the known-issue *concepts* (which problem, which symptom), never from the
articles' wording: paraphrases, symptoms instead of titles, slang, misspellings, and a product
name in some (``{product}`` is filled with a product that has the problem). Each question names
the issue template (``demo/issues.py``) whose articles and solutions are its gold answers.
"""

from __future__ import annotations

QUESTIONS: tuple[tuple[str, str], ...] = (
    # not-charging
    ("not-charging", "one of my buds is always dead when I take it out of the case"),
    ("not-charging", "left earpiece stays at zero percent even after sitting in the box all night"),
    ("not-charging", "my right earbud wont charge, the other one is fine"),
    ("not-charging", "{product} one bud never fills up in the charger"),
    ("not-charging", "only one ear bud recharges when i put them away"),
    # bt-disconnect
    ("bt-disconnect", "since the last update my headphones keep losing connection"),
    ("bt-disconnect", "bluetooth drops out every couple of minutes after updating"),
    ("bt-disconnect", "music cuts off and I hear the connected voice again mid song"),
    ("bt-disconnect", "{product} keeps disconecting from my phone after the new firmware"),
    ("bt-disconnect", "pairing is unstable, sound stops randomly since I updated the software"),
    # crackling
    ("crackling", "when I turn it up loud I hear popping noises"),
    ("crackling", "sound gets fuzzy and crackly at max volume"),
    ("crackling", "bass heavy songs sound distorted and scratchy"),
    ("crackling", "{product} makes a static crackle when the volume is high"),
    ("crackling", "cracking sound coming out at high volumes"),
    # anc-hiss
    ("anc-hiss", "there is a constant shhh sound when noise canceling is on"),
    ("anc-hiss", "I hear white noise in a silent room with ANC enabled"),
    ("anc-hiss", "background hissing that goes away if I switch off noise cancellation"),
    ("anc-hiss", "{product} has a faint static noise with anc on"),
    ("anc-hiss", "annoying hiss in quiet places when cancelling noise"),
    # ldac-stutter
    ("ldac-stutter", "music skips for a split second when I use the high quality codec"),
    ("ldac-stutter", "audio keeps stuttering on my android phone with LDAC"),
    ("ldac-stutter", "sound glitches only when audio quality mode is set to hi-res"),
    ("ldac-stutter", "{product} choppy playback with ldac turned on"),
    ("ldac-stutter", "stuttering audio on galaxy phone, fine when I change the codec"),
    # one-side
    ("one-side", "sound only comes from one ear"),
    ("one-side", "only my left earbud is playing music"),
    ("one-side", "my phone shows two separate entries for the buds and only one works"),
    ("one-side", "{product} no audio in the right bud"),
    ("one-side", "one earphone is silent while the other plays fine"),
    # case-red
    ("case-red", "the charging box flashes red three times"),
    ("case-red", "case light blinking red and it won't charge over usb"),
    ("case-red", "red blinking light on my earbud case"),
    ("case-red", "{product} case shows a red led and doesn't charge"),
    ("case-red", "charger case flashing red, what does it mean"),
    # mic-muffled
    ("mic-muffled", "people on calls say I sound like I'm underwater"),
    ("mic-muffled", "the other person can barely understand me on phone calls"),
    ("mic-muffled", "my voice cuts out when it's windy outside during calls"),
    ("mic-muffled", "{product} microphone sounds muffled to the people I call"),
    ("mic-muffled", "mic quality is terrible, friends say my voice is muffeld"),
    # touch
    ("touch", "tapping the earbuds does nothing"),
    ("touch", "touch controls don't respond to my taps"),
    ("touch", "music pauses when I push the buds into my ears"),
    ("touch", "{product} tap gestures register twice"),
    ("touch", "the touch sensor is too sensitive, it skips songs when I adjust them"),
    # app-detect
    ("app-detect", "the soundcore app says no device found"),
    ("app-detect", "app can't find my headphones even though bluetooth is connected"),
    ("app-detect", "connected in phone settings but the app doesn't see it"),
    ("app-detect", "soundcore app wont detect my {product}"),
    ("app-detect", "the companion app doesnt recognise my speaker"),
    # wear-pause
    ("wear-pause", "my music keeps pausing on its own while I'm wearing them"),
    ("wear-pause", "songs stop randomly when I have my glasses on"),
    ("wear-pause", "playback pauses by itself even though they are on my head"),
    ("wear-pause", "{product} stops playing music for no reason"),
    ("wear-pause", "auto pause triggers while they're in my ears"),
    # multipoint
    ("multipoint", "switching between my laptop and phone takes forever"),
    ("multipoint", "when connected to two devices it is slow to change over"),
    ("multipoint", "calls go to my computer instead of the phone when both are connected"),
    ("multipoint", "{product} dual connection is laggy switching devices"),
    ("multipoint", "takes several seconds before audio moves from my pc to my phone"),
    # drain
    ("drain", "battery life is half what it used to be after the update"),
    ("drain", "battery goes down really fast since new firmware"),
    ("drain", "charge drops quickly from full, started after updating"),
    ("drain", "{product} battery draining faster than advertised"),
    ("drain", "battary dies in a few hours now"),
    # wireless-charge
    ("wireless-charge", "case doesn't charge when I put it on my qi pad"),
    ("wireless-charge", "wireless charger doesn't work with the earbud case"),
    ("wireless-charge", "charging on the pad stops after a couple minutes"),
    ("wireless-charge", "{product} case won't charge wirelessly"),
    ("wireless-charge", "no light when the case sits on the wireless charging mat"),
    # imbalance
    ("imbalance", "one earbud is louder than the other"),
    ("imbalance", "the left side sounds quieter"),
    ("imbalance", "sound seems off center, like it is coming more from one side"),
    ("imbalance", "{product} volume is uneven between the ears"),
    ("imbalance", "right bud is not as loud as the left one"),
    # latency
    ("latency", "audio is behind the video when I watch youtube"),
    ("latency", "lips don't match the sound in movies"),
    ("latency", "game sounds come late, there's a delay"),
    ("latency", "{product} lag between picture and sound"),
    ("latency", "there is a sound delay when watching netflix"),
    # weak-anc
    ("weak-anc", "noise cancelling doesn't block much, I still hear the plane engine"),
    ("weak-anc", "ANC feels weak compared to what I expected"),
    ("weak-anc", "one ear cancels less noise than the other"),
    ("weak-anc", "{product} noise reduction isn't very strong"),
    ("weak-anc", "the noise cancellation is barely doing anything on the train"),
    # sleep-data
    ("sleep-data", "the sleep report in the app is empty"),
    ("sleep-data", "sleep tracking didn't record anything last night"),
    ("sleep-data", "only half the night shows up in my sleep stats"),
    ("sleep-data", "{product} no sleep data in the app"),
    ("sleep-data", "the sleep monitor isnt saving any information"),
    # leakage
    ("leakage", "people around me can hear my music"),
    ("leakage", "my coworkers complain they hear what I'm listening to"),
    ("leakage", "sound leaks out at medium volume"),
    ("leakage", "{product} others nearby can hear the audio"),
    ("leakage", "too much sound escapes from the earbuds in the office"),
    # creak
    ("creak", "my headphones squeak when I turn my head"),
    ("creak", "the headband makes a creaking noise"),
    ("creak", "a hinge creaks whenever I move"),
    ("creak", "{product} creaky noise from the band"),
    ("creak", "cracking squeaky sound from the headset frame when moving"),
    # cushion-peel
    ("cushion-peel", "the ear pads are flaking"),
    ("cushion-peel", "little bits of leather come off on my ears"),
    ("cushion-peel", "ear cushion split open at the seam"),
    ("cushion-peel", "{product} earpads peeling after a year"),
    ("cushion-peel", "pleather on the earcups is falling apart"),
    # wind
    ("wind", "loud rumbling when it's windy and noise cancelling is on"),
    ("wind", "wind noise is terrible outside with ANC"),
    ("wind", "on my bike the wind makes a booming sound in the headphones"),
    ("wind", "{product} wind noise gets worse with anc"),
    ("wind", "rumble outdoors stops if I disable noise cancel"),
    # aux
    ("aux", "no sound when I plug in the aux cable"),
    ("aux", "wired mode is silent"),
    ("aux", "using the headphone jack cord I only get audio in one ear"),
    ("aux", "{product} nothing plays through the 3.5mm wire"),
    ("aux", "plugged the cable in on the plane and hear nothing"),
    # no-power
    ("no-power", "headphones won't turn on after sitting in a drawer for months"),
    ("no-power", "no light at all when I press the power button"),
    ("no-power", "dead headphones, not even the charging light comes on"),
    ("no-power", "{product} won't switch on anymore after storage"),
    ("no-power", "havent used them in a while and now they wont power up"),
    # partycast
    ("partycast", "one speaker goes quiet in party mode"),
    ("partycast", "partycast keeps dropping one of my speakers"),
    ("partycast", "linked multiple speakers and one keeps disconnecting from the group"),
    ("partycast", "{product} drops out of the speaker group"),
    ("partycast", "party cast loses a speaker after a few songs"),
    # lights
    ("lights", "the lights on my speaker don't match the beat"),
    ("lights", "light show lags behind the music"),
    ("lights", "speaker leds freeze on a single colour"),
    ("lights", "{product} lights out of sync"),
    ("lights", "the rgb lighting is delayed compared to the song"),
    # water-charge
    ("water-charge", "speaker got wet and now won't charge"),
    ("water-charge", "dropped it in the pool, charging light stays off"),
    ("water-charge", "after rain the speaker plays a warning tone and won't charge"),
    ("water-charge", "{product} stopped charging after getting splashed"),
    ("water-charge", "took it in the shower and now it doesnt charge"),
    # bass-distortion
    ("bass-distortion", "deep bass makes the speaker rattle at full volume"),
    ("bass-distortion", "low notes sound distorted when it is turned all the way up"),
    ("bass-distortion", "bass distorts when the battery is low"),
    ("bass-distortion", "{product} rattling sound on bass heavy songs"),
    ("bass-distortion", "speaker buzzes on low frequencies at max"),
    # stereo
    ("stereo", "can't pair two speakers together for stereo"),
    ("stereo", "second speaker just keeps blinking and never connects"),
    ("stereo", "both speakers play the same left channel"),
    ("stereo", "{product} stereo pair won't link"),
    ("stereo", "trying to connect a second speaker as left right but it fails"),
    # auto-off
    ("auto-off", "speaker shuts off by itself after a few minutes"),
    ("auto-off", "my speaker turns off when the podcast is paused"),
    ("auto-off", "it powers down when nothing is playing for 5 minutes"),
    ("auto-off", "{product} keeps switching off when idle"),
    ("auto-off", "how do I stop the speaker from turning itself off"),
    # buttons
    ("buttons", "the power button is stuck"),
    ("buttons", "I need to press the on button several times before it works"),
    ("buttons", "power key stays pushed in"),
    ("buttons", "{product} button not responding"),
    ("buttons", "on off button doesnt click anymore"),
    # no-fast-charge
    ("no-fast-charge", "my phone says charging slowly with this charger"),
    ("no-fast-charge", "it takes over two hours to charge my phone, no fast charging"),
    ("no-fast-charge", "quick charge isnt working with my iphone"),
    ("no-fast-charge", "{product} won't fast charge my phone"),
    ("no-fast-charge", "charger only gives slow charging to my pixel"),
    # hot
    ("hot", "the charger gets really hot"),
    ("hot", "too warm to hold while charging"),
    ("hot", "the power bank heats up and charging slows after 20 minutes"),
    ("hot", "{product} overheating during use"),
    ("hot", "is it normal for the battery pack to be so hot"),
    # passthrough
    ("passthrough", "charging my phone while the power bank charges stops after a few minutes"),
    ("passthrough", "pass through charging stops working"),
    ("passthrough", "when the bank is plugged in the phone stops charging and the leds blink"),
    ("passthrough", "{product} stops charging my phone while it is plugged into the wall"),
    ("passthrough", "can't charge both the bank and my phone at once"),
    # percentage
    ("percentage", "battery indicator jumps from 60 to 10 percent"),
    ("percentage", "power bank percentage is wrong"),
    ("percentage", "the display stays at 100% for way too long"),
    ("percentage", "{product} battery level reading is inaccurate"),
    ("percentage", "charge percentage drops suddenly"),
    # magnet
    ("magnet", "the magnetic battery falls off my phone"),
    ("magnet", "power bank slides off in my pocket"),
    ("magnet", "it stops charging when I move the phone because it shifts"),
    ("magnet", "{product} magnet is too weak to stay on"),
    ("magnet", "magsafe pack doesn't stick properly"),
    # fod
    ("fod", "charging light blinks blue and charging stops"),
    ("fod", "wireless charger starts then stops after a few seconds"),
    ("fod", "blue blinking indicator, phone won't charge"),
    ("fod", "{product} keeps interrupting charging"),
    ("fod", "pad charges for a second then quits"),
    # tips-off
    ("tips-off", "the ear tip stayed in my ear when I pulled the earbud out"),
    ("tips-off", "silicone tips keep slipping off the buds"),
    ("tips-off", "eartip came off and is stuck in my ear canal"),
    ("tips-off", "{product} tips fall off"),
    ("tips-off", "rubber tips won't stay on the nozzle"),
    # foam-wear
    ("foam-wear", "foam tips stay flat and don't expand"),
    ("foam-wear", "memory foam tips lost their shape"),
    ("foam-wear", "the seal from the foam tips got worse over time"),
    ("foam-wear", "{product} foam tips squished permanently"),
    ("foam-wear", "foam eartips don't bounce back anymore"),
    # cable-not-recognized
    ("cable-not-recognized", "my device doesn't charge with this cable"),
    ("cable-not-recognized", "usb-c cable only works when flipped one way"),
    ("cable-not-recognized", "phone doesn't recognise the cable at all"),
    ("cable-not-recognized", "{product} not detected when plugged in"),
    ("cable-not-recognized", "the cord charges in one orientation only"),
    # zip
    ("zip", "zipper on the carrying case keeps sliding open"),
    ("zip", "the case hinge is wobbly"),
    ("zip", "travel case won't stay closed"),
    ("zip", "{product} zip is loose"),
    ("zip", "the lid of the hard case wobbles"),
    # case-pair
    ("case-pair", "bought a replacement charging case and the buds don't charge in it"),
    ("case-pair", "new case doesn't recognise my earbuds"),
    ("case-pair", "earbuds won't go into pairing mode in the replacement case"),
    ("case-pair", "{product} earbuds not working with the new case"),
    ("case-pair", "spare case won't charge my old earbuds"),
    # hooks
    ("hooks", "the ear hooks hurt behind my ears"),
    ("hooks", "my ears are sore after an hour with the hooks"),
    ("hooks", "hooks slide around when I wear glasses"),
    ("hooks", "{product} ear hooks painful"),
    ("hooks", "earhooks pressing uncomfortably"),
)
