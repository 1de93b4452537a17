"""Hand-written templates of known issues and of the solutions that fix them.

Placeholders filled by the generator: ``{product}``, ``{fw}`` (a firmware version of the product),
``{phone}``, ``{side}``/``{Side}`` (left or right earbud). ``{product}`` names the one affected product, or
reads generically ("your earbuds", "your Liberty series earbuds") when an issue affects several; descriptions
get the affected products' names ("Life Q20 and Life Q35"), so they avoid putting ``{product}`` where a verb
must agree with it.

A text that mentions a feature (see ``FEATURE_TERMS``) only goes to products that have it: an issue template
whose title or description mentions one applies only to such products, and a symptom, solution or solution step
that mentions one is left out for an issue affecting any product without it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SolutionTemplate:
    title: str
    steps: tuple[str, ...]  # 3..7, in order; steps that mention a missing feature are left out
    success_rate: float  # typical share of customers it fixes
    requires: tuple[str, ...] = ()  # feature keys; every affected product needs at least one


@dataclass(frozen=True, slots=True)
class IssueTemplate:
    key: str
    categories: tuple[str, ...]
    title: str
    description: str
    symptoms: tuple[str, ...]
    severity: str
    solutions: tuple[str, ...]  # SOLUTIONS keys, most effective first
    requires: tuple[str, ...] = ()  # feature keys; the product needs at least one
    needs_firmware: bool = False
    products: tuple[str, ...] = ()  # product names; when set, only these products


# (pattern, feature keys): a text matching the pattern is about a product with at least one of the features.
FEATURE_TERMS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(pattern), features)
    for pattern, features in (
        (r"\bLDAC\b", ("ldac",)),
        (r"\bANC\b|[Nn]oise[- ][Cc]ancell", ("anc", "adaptive-anc")),
        (r"[Ww]ireless (?:charg|pad)|\bQi\b", ("wireless-charging",)),
        (r"PartyCast", ("partycast",)),
        (r"\bEQ\b|Soundcore app|[Ee]quali[sz]er", ("app-eq",)),
        (r"BassUp", ("bassup",)),
        (r"[Ll]ight [Ss]how|\b[Ll]ights (?:lag|freeze|pulse|on)\b", ("light-show",)),
        (r"[Ww]ear [Dd]etection|Auto-pause", ("wear-detection",)),
        (r"[Mm]ultipoint|Dual Connections", ("multipoint",)),
        (r"\b[Ss]leep\b", ("sleep-monitoring",)),
        (r"Gaming Mode|Low Latency", ("gaming-mode",)),
        (r"\b[Ss]tereo\b|\bTWS\b", ("stereo-pairing",)),
        (r"[Oo]pen-ear|Privacy Mode", ("open-ear",)),
        (r"MagSafe|[Mm]agnetic", ("magnetic-alignment",)),
        (r"[Pp]ass-through", ("passthrough-charging",)),
        (r"Call Noise Reduction", ("call-noise-reduction",)),
        (r"\b[Ff]oam\b", ("memory-foam",)),
        (r"HearID", ("hearid",)),
        (r"[Ss]patial [Aa]udio|[Hh]ead [Tt]racking", ("spatial-audio", "head-tracking")),
    )
)


@functools.cache
def features_named(text: str) -> tuple[tuple[str, ...], ...]:
    """The feature groups a template text mentions; a product needs one feature of each group."""
    return tuple(features for pattern, features in FEATURE_TERMS if pattern.search(text))


PHONES: tuple[str, ...] = (
    "Pixel 8",
    "Pixel 9 Pro",
    "Galaxy S24",
    "Galaxy S23 Ultra",
    "iPhone 15",
    "iPhone 16 Pro",
    "iPhone 13 mini",
    "OnePlus 12",
    "Xiaomi 14",
    "Galaxy A54",
    "Nothing Phone (2)",
    "Sony Xperia 1 V",
)

SOLUTIONS: dict[str, SolutionTemplate] = {
    "clean-contacts": SolutionTemplate(
        "Clean the charging contacts of {product}",
        (
            "Take both earbuds out of the charging case.",
            "Wipe the metal contacts on each earbud with a dry cotton swab.",
            "Dampen a second swab with 70% isopropyl alcohol and clean the pins inside the case.",
            "Let the case dry with the lid open for 5 minutes.",
            "Put the earbuds back and check that the case LED lights up for each earbud.",
        ),
        0.78,
    ),
    "reset-earbuds": SolutionTemplate(
        "Factory reset {product}",
        (
            "Remove {product} from the Bluetooth list on every paired phone and computer.",
            "Put both earbuds in the charging case and keep the lid open.",
            "Press and hold the case button for 10 seconds until the LED flashes red three times.",
            "Close the lid, wait 10 seconds, then open it again.",
            "Pair {product} again from your phone's Bluetooth settings.",
            "Reconnect {product} in the Soundcore app.",
        ),
        0.72,
    ),
    "reset-headphones": SolutionTemplate(
        "Reset {product} to factory settings",
        (
            "Turn {product} on.",
            "Press and hold the power and volume-up buttons together for 5 seconds.",
            "Wait for the LED to flash purple and the voice prompt to confirm the reset.",
            "Delete {product} from your phone's Bluetooth list.",
            "Pair the headphones again.",
            "Reapply your EQ in the Soundcore app.",
        ),
        0.74,
    ),
    "reset-speaker": SolutionTemplate(
        "Reset {product}",
        (
            "Turn {product} on and disconnect any charging cable.",
            "Press and hold the power and Bluetooth buttons together for 8 seconds.",
            "Release when the speaker turns off with a descending tone.",
            "Turn the speaker on again and remove it from your phone's Bluetooth list.",
            "Pair {product} as a new device.",
        ),
        0.7,
    ),
    "update-firmware": SolutionTemplate(
        "Update {product} to the latest firmware",
        (
            "Charge {product} to at least 50%.",
            "Update the Soundcore app from the App Store or Google Play.",
            "Open the app, select {product} and go to Settings > Firmware Update.",
            "Tap Update and keep the phone within 1 m of the device until the update finishes.",
            "Restart {product} and check that the new version is shown in the app.",
        ),
        0.83,
        requires=("app-eq",),
    ),
    "repair-bluetooth": SolutionTemplate(
        "Remove and re-pair {product}",
        (
            "Open your phone's Bluetooth settings and tap Forget next to {product}.",
            "Turn Bluetooth off and on again on the phone.",
            "Put {product} into pairing mode (hold the button until the LED flashes white).",
            "Select {product} in the list of new devices.",
            "Allow the Soundcore app to reconnect and restore your settings.",
        ),
        0.66,
    ),
    "reset-phone-network": SolutionTemplate(
        "Clear the phone's Bluetooth cache",
        (
            "On Android, open Settings > Apps, show system apps and select Bluetooth.",
            "Tap Storage > Clear cache (on iPhone, restart the phone instead).",
            "Restart the phone.",
            "Pair {product} again.",
        ),
        0.58,
    ),
    "adjust-eq": SolutionTemplate(
        "Lower the bass boost on {product}",
        (
            "Open the Soundcore app and select {product}.",
            "Go to Sound > EQ and choose the Soundcore Signature preset.",
            "If you use a custom EQ, lower the 60 Hz and 100 Hz bands by 3 dB.",
            "Turn off volume-boost or loudness options in your music app.",
            "Play the same track at the same volume to compare.",
        ),
        0.69,
    ),
    "switch-codec": SolutionTemplate(
        "Switch {product} from LDAC to AAC",
        (
            "Open the Soundcore app and select {product}.",
            "Go to Sound > Audio Quality and choose Connection Priority.",
            "Disconnect and reconnect {product} so the phone negotiates AAC.",
            "In Android Developer options, check that Bluetooth audio codec shows AAC.",
        ),
        0.81,
    ),
    "ldac-priority": SolutionTemplate(
        "Set LDAC to Best Effort on {phone}",
        (
            "Enable Developer options on {phone} (tap Build number 7 times).",
            "Open Developer options > Bluetooth audio LDAC codec: playback quality.",
            "Choose Best Effort (adaptive bit rate).",
            "Reconnect {product} and test in a crowded place such as a train station.",
        ),
        0.73,
    ),
    "anc-mode": SolutionTemplate(
        "Change the noise-cancelling mode on {product}",
        (
            "Open the Soundcore app and select {product}.",
            "Go to Ambient Sound > Noise Cancelling.",
            "Switch from Strong to Moderate or Adaptive.",
            "If you are outdoors, turn on Wind Noise Reduction.",
            "Test for one minute in the environment where the problem happens.",
        ),
        0.64,
        requires=("app-eq",),
    ),
    "ear-tip-fit": SolutionTemplate(
        "Run the ear tip fit test for {product}",
        (
            "Open the Soundcore app and select {product}.",
            "Go to Settings > Ear Tip Fit Test and follow the prompts.",
            "If the test reports a poor seal, change to the next larger ear tip size.",
            "Twist each earbud slightly backwards so the tip seals the ear canal.",
            "Repeat the fit test until both sides show Good Seal.",
        ),
        0.76,
        requires=("app-eq",),
    ),
    "case-led": SolutionTemplate(
        "Recover a charging case that blinks red",
        (
            "Disconnect the case from any charger.",
            "Connect it with a USB-C cable to a 5 V/1 A or 5 V/2 A charger (not a laptop port).",
            "Leave it charging for at least 2 hours even if the LED stays off.",
            "Press the case button once to check the battery LEDs.",
            "If the LED still blinks red, reset {product} and try again.",
        ),
        0.62,
    ),
    "clean-mics": SolutionTemplate(
        "Clean the microphones of {product}",
        (
            "Find the microphone openings on the outside of each earbud.",
            "Brush them gently with a dry soft-bristled toothbrush.",
            "Remove any residue with a piece of blue tack; do not use liquids.",
            "In the Soundcore app, turn on Call Noise Reduction.",
            "Make a test call in a quiet room.",
        ),
        0.7,
    ),
    "customize-controls": SolutionTemplate(
        "Adjust the touch controls of {product}",
        (
            "Open the Soundcore app and select {product}.",
            "Go to Controls and turn off single-tap actions.",
            "Assign play/pause to double-tap.",
            "Assign ANC mode switching to press-and-hold.",
            "Clean the touch area with a dry microfibre cloth.",
        ),
        0.74,
        requires=("app-eq",),
    ),
    "app-permissions": SolutionTemplate(
        "Let the Soundcore app find {product}",
        (
            "Make sure {product} is connected in your phone's Bluetooth settings.",
            "Give the Soundcore app Nearby devices (Android) or Bluetooth (iPhone) permission.",
            "Turn on Location services; older Android versions need them for Bluetooth scans.",
            "Close the app completely and open it again.",
            "Tap + and select {product} from the list.",
        ),
        0.8,
    ),
    "app-reinstall": SolutionTemplate(
        "Reinstall the Soundcore app",
        (
            "Uninstall the Soundcore app.",
            "Restart your phone.",
            "Install the latest Soundcore app and sign in.",
            "Add {product} again from the device list.",
        ),
        0.6,
    ),
    "wear-detection-off": SolutionTemplate(
        "Turn off wear detection on {product}",
        (
            "Open the Soundcore app and select {product}.",
            "Go to Settings > Wear Detection.",
            "Turn off Auto-pause.",
            "Wipe the proximity sensors with a dry cloth.",
            "Turn Auto-pause back on after the next firmware update if you prefer it.",
        ),
        0.77,
        requires=("app-eq",),
    ),
    "multipoint-reset": SolutionTemplate(
        "Reconfigure multipoint on {product}",
        (
            "Open the Soundcore app and select {product}.",
            "Go to Settings > Dual Connections and turn it off.",
            "Forget {product} on both devices.",
            "Pair the first device, then the second one.",
            "Turn Dual Connections on again in the app.",
        ),
        0.68,
        requires=("app-eq",),
    ),
    "battery-recalibrate": SolutionTemplate(
        "Recalibrate the battery of {product}",
        (
            "Keep using {product} until the battery runs out and the device turns off on its own.",
            "Leave it off for 30 minutes.",
            "Charge it without interruption to 100% with a wall charger.",
            "Keep it connected for 30 more minutes after the LED shows full.",
        ),
        0.65,
    ),
    "wireless-align": SolutionTemplate(
        "Align {product} on a wireless charger",
        (
            "Use a Qi-certified pad rated at 5 W or more.",
            "Remove any case cover or metal object between the case and the pad.",
            "Place the case LED-side up in the centre of the pad.",
            "Watch for the case LED to turn on within 5 seconds; move the case slightly if it does not.",
        ),
        0.79,
    ),
    "warranty-replacement": SolutionTemplate(
        "Request a warranty replacement for {product}",
        (
            "Find your order number or proof of purchase.",
            "Note the serial number printed inside the case lid or on the device label.",
            "Open a ticket on the support site and choose Warranty Claim.",
            "Attach a short video that shows the problem.",
            "Ship the item with the prepaid label once the claim is approved.",
        ),
        0.97,
    ),
    "deep-discharge": SolutionTemplate(
        "Wake {product} from deep discharge",
        (
            "Connect {product} to a 5 V wall charger with the original USB-C cable.",
            "Leave it charging for 3 hours even if the LED does not light up.",
            "Unplug, then press and hold the power button for 10 seconds.",
            "Reconnect the charger and check that the LED turns on.",
        ),
        0.71,
    ),
    "replace-cushions": SolutionTemplate(
        "Replace the ear cushions of {product}",
        (
            "Hold the ear cup firmly and twist the cushion anticlockwise.",
            "Pull the cushion away from the clips.",
            "Line up the new cushion's clips with the slots on the ear cup.",
            "Press around the edge until every clip clicks into place.",
        ),
        0.92,
    ),
    "adjust-headband": SolutionTemplate(
        "Stop {product} from creaking",
        (
            "Fully extend both sides of the headband and retract them again five times.",
            "Check that the hinge screws are tight.",
            "Wipe the sliders with a dry cloth to remove dust.",
            "If the creak comes from the hinge, request a warranty replacement.",
        ),
        0.55,
    ),
    "aux-check": SolutionTemplate(
        "Fix wired playback on {product}",
        (
            "Turn {product} on; ANC over the cable needs power.",
            "Push the 3.5 mm plug all the way in until it clicks.",
            "Try a different cable and a different audio source.",
            "Clean the jack with a dry cotton swab.",
        ),
        0.75,
    ),
    "partycast-regroup": SolutionTemplate(
        "Rebuild the PartyCast group with {product}",
        (
            "Update every speaker in the group to the latest firmware.",
            "Turn off PartyCast on all speakers.",
            "Keep the speakers within 10 m of the host and away from Wi-Fi routers.",
            "Press the PartyCast button on the host speaker first, then on each other speaker.",
            "Start playback and wait 10 seconds for the group to sync.",
        ),
        0.71,
    ),
    "light-sync": SolutionTemplate(
        "Resync the light show on {product}",
        (
            "Press the Light Show button on {product} to switch to another effect, then back.",
            "Turn off Bluetooth audio delay compensation on the phone.",
            "Restart the speaker.",
        ),
        0.66,
    ),
    "dry-port": SolutionTemplate(
        "Dry the charging port of {product}",
        (
            "Close the port cover and shake {product} gently to remove water.",
            "Leave it in a dry, ventilated place for at least 4 hours; do not use a hair dryer.",
            "Open the port cover and check there is no water or sand inside.",
            "Charge with the original cable and a 5 V charger.",
        ),
        0.73,
    ),
    "stereo-pair": SolutionTemplate(
        "Set up a stereo pair with {product}",
        (
            "Disconnect both speakers (two of the same model) from every phone.",
            "Update both speakers to the same firmware version.",
            "Press the TWS button on the first speaker, then on the second, within 10 seconds.",
            "Wait for the voice prompt 'Left channel' / 'Right channel'.",
            "Connect your phone to the first speaker only.",
        ),
        0.74,
    ),
    "auto-off": SolutionTemplate(
        "Change the auto power-off timer of {product}",
        (
            "Open the Soundcore app and select {product}.",
            "Go to Settings > Auto Power Off.",
            "Choose 30 minutes or Never.",
        ),
        0.88,
        requires=("app-eq",),
    ),
    "certified-cable": SolutionTemplate(
        "Use a certified cable and charger with {product}",
        (
            "Replace the cable with a USB-IF certified USB-C cable rated for at least 3 A.",
            "Use a USB-C PD charger rather than a computer port.",
            "Connect the cable directly, without hubs or adapters.",
            "Check the charging indicator for 1 minute.",
        ),
        0.72,
    ),
    "charger-output": SolutionTemplate(
        "Check the power delivery of {product}",
        (
            "Connect {phone} with a USB-C to USB-C (or USB-C to Lightning) cable; USB-A does not support PD.",
            "Remove any other device from the second port; shared ports lower the output.",
            "Confirm the phone shows Fast charging or a fast-charging animation.",
            "Charge from below 50%; phones slow down near full.",
        ),
        0.7,
    ),
    "cool-down": SolutionTemplate(
        "Let {product} cool down",
        (
            "Unplug {product} and let it cool for 15 minutes.",
            "Use it on a hard surface, not on a bed or sofa.",
            "Remove phone cases thicker than 3 mm while charging.",
            "If it is too hot to touch, stop using it and contact support.",
        ),
        0.67,
    ),
    "power-bank-reset": SolutionTemplate(
        "Reset the protection circuit of {product}",
        (
            "Disconnect every cable from {product}.",
            "Connect a USB-C charger to the input port for 10 seconds and unplug it.",
            "Press the power button twice.",
            "Charge {product} to 100% before using it again.",
        ),
        0.69,
    ),
    "magnet-fit": SolutionTemplate(
        "Improve the magnetic hold of {product}",
        (
            "Remove the phone case or use a MagSafe-compatible case.",
            "Wipe the back of the phone and the power bank with a dry cloth.",
            "Align the power bank in the centre of the phone's back.",
            "Use the kickstand only on a flat surface.",
        ),
        0.8,
    ),
    "foreign-object": SolutionTemplate(
        "Clear foreign-object detection on {product}",
        (
            "Remove keys, coins and cards from the pad.",
            "Take the phone out of any case with a metal plate or card wallet.",
            "Unplug the pad for 10 seconds and plug it back in.",
            "Place the device in the centre of the pad.",
        ),
        0.78,
    ),
    "tip-size": SolutionTemplate(
        "Choose the right ear tip size",
        (
            "Try each size in front of a mirror; the tip should sit just inside the ear canal.",
            "Push the tip fully onto the nozzle until the ridge clicks.",
            "Use a larger size if the tip moves when you chew or talk.",
            "Replace foam tips every 3 months.",
        ),
        0.84,
    ),
    "cable-inspect": SolutionTemplate(
        "Check {product} for damage",
        (
            "Look for bent pins or frayed braiding near both connectors.",
            "Try the cable with another device and another charger.",
            "Plug it in the other way round (USB-C is reversible).",
            "If only one end works, request a replacement.",
        ),
        0.7,
    ),
    "pair-case": SolutionTemplate(
        "Pair {product} with your earbuds",
        (
            "Charge the new case for 30 minutes.",
            "Put both earbuds in the new case and keep the lid open.",
            "Press and hold the case button for 10 seconds to sync the case and the earbuds.",
            "Pair the earbuds again with your phone.",
        ),
        0.86,
    ),
    "sleep-sync": SolutionTemplate(
        "Sync sleep data from {product}",
        (
            "Wear {product} for at least 3 hours overnight with Sleep Monitoring on.",
            "Put the earbuds in the case in the morning and keep the phone nearby.",
            "Open the Soundcore app and pull down on the Sleep page to sync.",
            "Allow background app refresh for the Soundcore app.",
        ),
        0.75,
        requires=("app-eq",),
    ),
    "open-ear-volume": SolutionTemplate(
        "Reduce sound leakage from {product}",
        (
            "Rotate the speaker part so it points directly at the ear canal.",
            "Turn on Privacy Mode in the Soundcore app.",
            "Keep the volume below 70% in quiet places such as libraries.",
        ),
        0.63,
    ),
    "gaming-mode": SolutionTemplate(
        "Reduce audio delay on {product}",
        (
            "Open the Soundcore app, select {product} and turn on Gaming Mode (or Low Latency).",
            "Switch the codec from LDAC to AAC or SBC; LDAC adds delay.",
            "Close other apps that use Bluetooth.",
            "Keep the phone within 2 m of {product}, with nothing in between.",
            "Restart the video or game after reconnecting {product}.",
        ),
        0.72,
    ),
}

_BUDS = ("earbuds",)
_HEAD = ("headphones",)
_SPK = ("speakers",)
_AUDIO = ("earbuds", "headphones", "speakers")
_WEARABLE = ("earbuds", "headphones")

ISSUES: tuple[IssueTemplate, ...] = (
    IssueTemplate(
        "not-charging",
        _BUDS,
        "{Side} earbud not charging in the case",
        "The {side} earbud of {product} does not charge when it is placed in the charging case. Debris "
        "or skin oil on the "
        "pogo-pin contacts is the most common cause; a few units have a weak contact spring.",
        (
            "{Side} earbud LED stays off in the case",
            "{Side} earbud shows 0% after a night in the case",
            "Only the {side} earbud connects in the morning",
        ),
        "medium",
        ("clean-contacts", "reset-earbuds", "warranty-replacement"),
    ),
    IssueTemplate(
        "bt-disconnect",
        _AUDIO,
        "Bluetooth disconnects after firmware {fw}",
        "Since firmware {fw}, {product} drops its Bluetooth connection every few minutes on some phones, especially "
        "{phone}. Audio stops and the voice prompt announces 'connected' again.",
        (
            "Audio drops every few minutes",
            "Reconnects with a voice prompt in the middle of a song",
            "Connection lost when the phone is in a back pocket",
        ),
        "high",
        ("update-firmware", "repair-bluetooth", "reset-phone-network"),
        needs_firmware=True,
    ),
    IssueTemplate(
        "crackling",
        _AUDIO,
        "Crackling at high volume",
        "Crackling or popping sounds come from {product} above about 80% volume, mostly on bass-heavy tracks. The "
        "distortion disappears at lower volume.",
        (
            "Crackling or popping above 80% volume",
            "Distortion on bass-heavy tracks",
            "Noise disappears when the volume is lowered",
        ),
        "medium",
        ("adjust-eq", "switch-codec", "update-firmware"),
    ),
    IssueTemplate(
        "anc-hiss",
        _WEARABLE,
        "Audible hiss when noise cancelling is on",
        "With noise cancelling enabled, {product} produces a constant faint hiss that is noticeable in quiet rooms.",
        ("Constant white noise in quiet rooms", "Hiss stops when ANC is turned off", "Hiss louder on the {side} side"),
        "low",
        ("anc-mode", "update-firmware", "ear-tip-fit"),
        requires=("anc", "adaptive-anc"),
    ),
    IssueTemplate(
        "ldac-stutter",
        _AUDIO,
        "Audio stutters on {phone} with LDAC enabled",
        "When {product} streams with LDAC at 990 kbps, audio skips in busy radio environments such as trains and "
        "offices. Reported mostly on {phone}.",
        ("Audio skips for half a second", "Stutter only with Audio Quality set to LDAC", "Stutter in crowded places"),
        "medium",
        ("ldac-priority", "switch-codec", "update-firmware"),
        requires=("ldac",),
    ),
    IssueTemplate(
        "one-side",
        _BUDS,
        "Only the {side} earbud plays audio",
        "After connecting {product}, sound comes from one earbud only. The earbuds have lost their pairing "
        "with each other, "
        "usually after one was used alone.",
        ("No sound from one earbud", "Phone lists the earbuds twice", "Case LED blinks white on one side"),
        "high",
        ("reset-earbuds", "repair-bluetooth", "clean-contacts"),
    ),
    IssueTemplate(
        "case-red",
        _BUDS,
        "Charging case LED blinks red",
        "The charging case of {product} blinks red three times and does not charge. The case has entered battery "
        "protection after a deep discharge or a non-compliant charger.",
        ("Case LED blinks red three times", "Case does not charge from the cable", "Case feels warm without charging"),
        "medium",
        ("case-led", "certified-cable", "warranty-replacement"),
    ),
    IssueTemplate(
        "mic-muffled",
        _WEARABLE,
        "Callers say the microphone sounds muffled",
        "People on calls hear the user of {product} as distant or muffled, particularly outdoors.",
        (
            "Callers hear a muffled voice",
            "Voice cuts out in windy conditions",
            "Better call quality with the phone's own microphone",
        ),
        "medium",
        ("clean-mics", "update-firmware", "repair-bluetooth"),
    ),
    IssueTemplate(
        "touch",
        _BUDS,
        "Touch controls unresponsive or trigger twice",
        "Taps on {product} are ignored or register twice, pausing music or changing modes unexpectedly.",
        ("Taps ignored", "Music pauses when adjusting the earbuds", "ANC mode changes by itself"),
        "low",
        ("customize-controls", "update-firmware", "reset-earbuds"),
    ),
    IssueTemplate(
        "app-detect",
        _AUDIO,
        "Soundcore app cannot find {product}",
        "The Soundcore app keeps searching and never lists {product}, although the device is connected over Bluetooth.",
        (
            "App shows 'No device found'",
            "Device connected in Bluetooth settings but not in the app",
            "App asks to pair again every time",
        ),
        "low",
        ("app-permissions", "app-reinstall", "repair-bluetooth"),
        requires=("app-eq",),
    ),
    IssueTemplate(
        "wear-pause",
        _WEARABLE,
        "Music pauses randomly while wearing",
        "Wear detection on {product} pauses playback although the device is still being worn, often while lying down "
        "or wearing glasses.",
        ("Playback pauses by itself", "Pauses when wearing glasses", "Pauses when lying on one side"),
        "low",
        ("wear-detection-off", "update-firmware", "reset-earbuds"),
        requires=("wear-detection",),
    ),
    IssueTemplate(
        "multipoint",
        _WEARABLE,
        "Multipoint takes several seconds to switch devices",
        "With two devices connected, {product} needs 5-10 seconds to switch to the device that starts playing, and "
        "sometimes plays the notification sound of the other device.",
        (
            "Switching between laptop and phone is slow",
            "Call audio goes to the laptop",
            "Notification sounds interrupt music",
        ),
        "low",
        ("multipoint-reset", "update-firmware", "repair-bluetooth"),
        requires=("multipoint",),
    ),
    IssueTemplate(
        "drain",
        _AUDIO,
        "Battery drains faster after firmware {fw}",
        "After updating {product} to firmware {fw}, battery life is noticeably shorter than the rated playtime.",
        (
            "Battery lasts about half the rated time",
            "Battery percentage drops quickly from 100%",
            "Device warm while idle",
        ),
        "medium",
        ("battery-recalibrate", "update-firmware", "warranty-replacement"),
        needs_firmware=True,
    ),
    IssueTemplate(
        "wireless-charge",
        _BUDS,
        "Case does not charge on wireless pads",
        "The {product} case does not start charging on some Qi pads, or stops after a few minutes.",
        ("Case LED stays off on the pad", "Charging stops after a few minutes", "Only charges on one specific pad"),
        "medium",
        ("wireless-align", "certified-cable", "warranty-replacement"),
        requires=("wireless-charging",),
    ),
    IssueTemplate(
        "imbalance",
        _BUDS,
        "{Side} earbud quieter than the other",
        "The {side} earbud of {product} is noticeably quieter, usually because earwax blocks the mesh or the ear tip "
        "does not seal.",
        ("{Side} side sounds quieter", "Sound seems off-centre", "Balance slider needs adjusting"),
        "medium",
        ("ear-tip-fit", "clean-mics", "reset-earbuds"),
    ),
    IssueTemplate(
        "latency",
        _AUDIO,
        "Audio out of sync with video",
        "Sound from {product} lags behind the picture in video apps and games on some phones and laptops.",
        ("Lips out of sync in videos", "Game sound effects arrive late", "Delay worse with LDAC"),
        "low",
        ("gaming-mode", "switch-codec", "update-firmware"),
    ),
    IssueTemplate(
        "weak-anc",
        _BUDS,
        "Noise cancelling weaker than expected",
        (
            "Users report that {product} cancels less noise than advertised; in almost every case the ear "
            "tips do not seal."
        ),
        (
            "Engine noise still clearly audible",
            "ANC feels weaker in one ear",
            "ANC better when pressing the earbuds in",
        ),
        "low",
        ("ear-tip-fit", "anc-mode", "update-firmware"),
        requires=("anc", "adaptive-anc"),
    ),
    IssueTemplate(
        "sleep-data",
        _BUDS,
        "Sleep tracking shows no data in the app",
        "After a night with {product}, the Soundcore app shows an empty sleep report.",
        ("Sleep report empty", "Only part of the night recorded", "Sleep page shows 'syncing' forever"),
        "low",
        ("sleep-sync", "update-firmware", "app-reinstall"),
        requires=("sleep-monitoring",),
    ),
    IssueTemplate(
        "leakage",
        _BUDS,
        "Sound leakage noticeable to people nearby",
        "In quiet places, people nearby can hear the music played on the open-ear {product}.",
        ("Colleagues hear the music", "Leakage at volumes above 60%"),
        "low",
        ("open-ear-volume", "adjust-eq"),
        requires=("open-ear",),
    ),
    IssueTemplate(
        "creak",
        _HEAD,
        "Headband creaks when moving the head",
        "The headband or hinges of {product} creak audibly with head movement.",
        ("Creaking when turning the head", "Creak from the {side} hinge"),
        "low",
        ("adjust-headband", "warranty-replacement"),
    ),
    IssueTemplate(
        "cushion-peel",
        _HEAD,
        "Ear cushion leather peeling",
        "The protein-leather ear cushions of {product} start to flake after 12-18 months of use.",
        ("Flakes of leather on the ears", "Cushion cracked at the seam"),
        "low",
        ("replace-cushions", "warranty-replacement"),
    ),
    IssueTemplate(
        "wind",
        _HEAD,
        "Wind noise amplified outdoors with ANC",
        "With noise cancelling on, {product} amplifies wind noise when cycling or walking in windy weather.",
        ("Rumbling in wind", "Noise disappears when ANC is off"),
        "medium",
        ("anc-mode", "update-firmware"),
        requires=("anc", "adaptive-anc"),
    ),
    IssueTemplate(
        "aux",
        _HEAD,
        "No sound over the 3.5 mm cable",
        "With the audio cable connected, there is no sound from {product}, or only one channel.",
        ("Silence with the cable connected", "Sound only on the {side} side with the cable"),
        "medium",
        ("aux-check", "reset-headphones", "warranty-replacement"),
    ),
    IssueTemplate(
        "no-power",
        _HEAD,
        "Won't power on after long storage",
        "After several months of storage without charging, {product} can fail to turn on or charge.",
        ("No LED when pressing the power button", "No LED while charging"),
        "high",
        ("deep-discharge", "reset-headphones", "warranty-replacement"),
    ),
    IssueTemplate(
        "partycast",
        _SPK,
        "PartyCast group drops a speaker",
        "In a PartyCast group with {product}, one speaker drops out after a few minutes and does not rejoin.",
        ("One speaker goes silent", "Group shows a speaker as disconnected", "Speakers out of sync by half a second"),
        "medium",
        ("partycast-regroup", "update-firmware", "reset-speaker"),
        requires=("partycast",),
    ),
    IssueTemplate(
        "lights",
        _SPK,
        "Light show out of sync with music",
        "The lights on {product} pulse behind the beat or freeze while music keeps playing.",
        ("Lights lag behind the beat", "Lights freeze on one colour"),
        "low",
        ("light-sync", "update-firmware"),
        requires=("light-show",),
    ),
    IssueTemplate(
        "water-charge",
        _SPK,
        "Won't charge after water exposure",
        "After use at the pool or beach, {product} may not charge; the port cover was often left open.",
        ("Charging LED does not light", "Speaker shows a water warning tone"),
        "high",
        ("dry-port", "certified-cable", "warranty-replacement"),
    ),
    IssueTemplate(
        "bass-distortion",
        _SPK,
        "Bass distorts at maximum volume",
        "Deep bass from {product} distorts at full volume, particularly with BassUp on and a low battery.",
        ("Rattling on deep bass", "Distortion only below 20% battery"),
        "medium",
        ("adjust-eq", "battery-recalibrate", "update-firmware"),
        requires=("bassup",),
    ),
    IssueTemplate(
        "stereo",
        _SPK,
        "Stereo pairing fails to connect the second speaker",
        "Two speakers of the same model ({product}) do not form a stereo pair; the second one keeps blinking.",
        ("Second speaker keeps blinking", "Both speakers play the left channel"),
        "medium",
        ("stereo-pair", "update-firmware", "reset-speaker"),
        requires=("stereo-pairing",),
    ),
    IssueTemplate(
        "auto-off",
        _SPK,
        "Speaker turns off after a few minutes idle",
        "The auto power-off of {product} triggers during pauses between songs or after a short pause.",
        ("Turns off during a podcast pause", "Turns off after 5 minutes"),
        "low",
        ("auto-off", "update-firmware"),
    ),
    IssueTemplate(
        "buttons",
        _SPK,
        "Power button stuck or unresponsive",
        (
            "The power button of {product} feels stuck or needs several presses, often after contact with "
            "sand or salt water."
        ),
        ("Button needs several presses", "Button stays pressed in"),
        "medium",
        ("reset-speaker", "warranty-replacement"),
    ),
    IssueTemplate(
        "no-fast-charge",
        ("power",),
        "Not fast charging {phone}",
        "{phone} charges at normal speed instead of fast charging when connected to {product}.",
        ("Phone shows 'Charging slowly'", "Charging takes over 2 hours"),
        "medium",
        ("charger-output", "certified-cable", "power-bank-reset"),
    ),
    IssueTemplate(
        "hot",
        ("power",),
        "Gets hot during use",
        "{product} can become very warm when charging a device at full power.",
        ("Too warm to hold", "Charging slows down after 20 minutes"),
        "medium",
        ("cool-down", "charger-output", "warranty-replacement"),
    ),
    IssueTemplate(
        "passthrough",
        ("power",),
        "Pass-through charging stops after a few minutes",
        "While {product} is charging itself and a phone, output to the phone stops after a few minutes.",
        ("Phone stops charging", "Power bank LEDs blink"),
        "low",
        ("power-bank-reset", "certified-cable"),
        requires=("passthrough-charging",),
    ),
    IssueTemplate(
        "percentage",
        ("power",),
        "Battery indicator shows the wrong percentage",
        "The battery indicator of {product} jumps from high to low or stays at 100% for hours.",
        ("Drops from 60% to 10%", "Stays at 100% too long"),
        "low",
        ("battery-recalibrate", "power-bank-reset"),
    ),
    IssueTemplate(
        "magnet",
        ("power",),
        "Power bank slides off the phone",
        "The magnetic hold of {product} on the back of {phone} is too weak.",
        ("Falls off in a pocket", "Stops charging when moved"),
        "low",
        ("magnet-fit", "foreign-object"),
        requires=("magnetic-alignment",),
    ),
    IssueTemplate(
        "fod",
        ("power",),
        "Charging indicator blinks and charging stops",
        "Charging on {product} stops with a blinking indicator because foreign-object detection is triggered.",
        ("Indicator blinks blue", "Charging stops after a few seconds"),
        "low",
        ("foreign-object", "wireless-align"),
        requires=("wireless-charging",),
    ),
    IssueTemplate(
        "tips-off",
        ("accessories",),
        "Ear tips come off inside the ear",
        "Tips from {product} stay in the ear canal when the earbud is removed.",
        ("Tip stuck in the ear", "Tip slides off the nozzle"),
        "medium",
        ("tip-size",),
        products=("Memory Foam Ear Tips", "Silicone Ear Tips Variety Pack"),
    ),
    IssueTemplate(
        "foam-wear",
        ("accessories",),
        "Memory foam loses its shape",
        "{product} no longer expand after a few weeks of use.",
        ("Tips stay flat", "Seal weaker than when new"),
        "low",
        ("tip-size", "warranty-replacement"),
        requires=("memory-foam",),
    ),
    IssueTemplate(
        "cable-not-recognized",
        ("accessories",),
        "Device not recognised with the cable",
        "Devices do not charge or are not recognised when connected with {product}.",
        ("No charging", "Charges only in one orientation"),
        "medium",
        ("cable-inspect", "warranty-replacement"),
        requires=("braided-cable",),
    ),
    IssueTemplate(
        "zip",
        ("accessories",),
        "Case zipper or hinge loose",
        "The zipper or hinge of {product} loosens after some months.",
        ("Zipper slips open", "Hinge wobbles"),
        "low",
        ("warranty-replacement",),
        requires=("hard-shell",),
    ),
    IssueTemplate(
        "case-pair",
        ("accessories",),
        "Replacement case not recognised by the earbuds",
        "Earbuds do not charge or connect after moving them to a new {product}.",
        ("Earbuds do not charge in the new case", "Earbuds do not enter pairing mode"),
        "medium",
        ("pair-case", "clean-contacts"),
        products=("Liberty 4 NC Charging Case",),
    ),
    IssueTemplate(
        "hooks",
        ("accessories",),
        "Ear hooks press behind the ear",
        "{product} cause pressure behind the ear during long runs.",
        ("Soreness after an hour", "Hooks slip with glasses"),
        "low",
        ("tip-size", "warranty-replacement"),
        products=("Sport Ear Hooks",),
    ),
)
