"""Hand-written text templates for articles, content items, tickets and search queries.

Placeholders are filled with ``str.format``; each template lists the ones it uses.
"""

from __future__ import annotations

# ---- articles ------------------------------------------------------------------------------------

TROUBLESHOOTING_INTROS: tuple[str, ...] = (
    "This article explains why {product} may show this problem and how to fix it step by step.",
    (
        "Some owners of {product} have reported this problem. Work through the fixes below in order; most customers "
        "are back up and running after the first one."
    ),
    (
        "If you see the symptoms below on {product}, you do not need to send anything in yet. The following steps "
        "solve the problem in most cases."
    ),
)

TROUBLESHOOTING_OUTROS: tuple[str, ...] = (
    (
        "Still not working? Contact Soundcore support with your order number and the firmware version shown in the "
        "Soundcore app."
    ),
    (
        "If none of these steps help, open a support ticket. Devices within the 18-month warranty are replaced free of "
        "charge."
    ),
    "Tell us whether this article helped with the buttons below; we review every answer.",
)

QUICK_CHECKS: dict[str, tuple[str, ...]] = {
    "earbuds": (
        "Charge the case for at least 30 minutes.",
        "Update the Soundcore app and the earbud firmware.",
        "Clean the charging contacts and the ear tips.",
        "Forget the earbuds on your phone and pair them again.",
    ),
    "headphones": (
        "Charge the headphones for at least 30 minutes.",
        "Update the firmware from the Soundcore app.",
        "Check the cable, if you use one.",
        "Reset the headphones (power + volume up for 5 seconds).",
    ),
    "speakers": (
        "Charge the speaker with the supplied cable.",
        "Check that the port cover is closed and the port is dry.",
        "Update the firmware from the Soundcore app.",
        "Reset the speaker (power + BassUp for 8 seconds).",
    ),
    "power": (
        "Use a USB-C to USB-C cable for fast charging.",
        "Charge the power bank to 100% once.",
        "Disconnect everything and press the power button twice.",
    ),
    "accessories": (
        "Check that the accessory is listed as compatible with your device.",
        "Inspect it for visible damage.",
    ),
}

SETUP_STEPS: dict[str, tuple[str, ...]] = {
    "earbuds": (
        "Open the charging case; the earbuds enter pairing mode automatically the first time.",
        "On your phone, open Bluetooth settings and select {product}.",
        "Install the Soundcore app and tap + to add {product}.",
        "Run the ear tip fit test and choose your EQ preset.",
        "Update to the latest firmware when the app offers it.",
    ),
    "headphones": (
        "Press and hold the power button for 3 seconds; the LED flashes white.",
        "On your phone, open Bluetooth settings and select {product}.",
        "Install the Soundcore app and tap + to add {product}.",
        "Choose a noise-cancelling mode and an EQ preset.",
        "Update to the latest firmware when the app offers it.",
    ),
    "speakers": (
        "Press the power button; the speaker enters pairing mode with a tone.",
        "On your phone, open Bluetooth settings and select {product}.",
        "Install the Soundcore app and tap + to add {product}.",
        "Turn on BassUp or pick an EQ preset.",
        "Update to the latest firmware when the app offers it.",
    ),
    "power": (
        "Charge {product} to 100% before first use.",
        "Connect your device with a USB-C cable.",
        "Press the power button if charging does not start automatically.",
    ),
    "accessories": (
        "Check the compatibility list before use.",
        "Fit {product} as shown in the quick start guide.",
        "Keep the packaging for 30 days in case you need to exchange it.",
    ),
}

IN_THE_BOX: dict[str, str] = {
    "earbuds": "{product} earbuds, charging case, ear tips (XS/S/M/L), USB-C cable, quick start guide",
    "headphones": "{product} headphones, travel pouch, 3.5 mm audio cable, USB-C cable, quick start guide",
    "speakers": "{product} speaker, USB-C cable, quick start guide",
    "power": "{product}, USB-C cable, travel pouch, quick start guide",
    "accessories": "{product}, quick start guide",
}

# Feature guides: feature key -> (title, steps, tip). Placeholders: {product}.
FEATURE_GUIDES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "anc": (
        "Using noise cancelling on {product}",
        (
            "Open the Soundcore app.",
            "Tap Ambient Sound.",
            "Choose Noise Cancelling and a mode: Transport, Indoor or Outdoor.",
        ),
        "Transport mode is strongest against low engine rumble; Indoor is best for office chatter.",
    ),
    "adaptive-anc": (
        "How adaptive noise cancelling works on {product}",
        (
            "Open the Soundcore app.",
            "Tap Ambient Sound > Noise Cancelling.",
            "Select Adaptive.",
            "Run the ear tip fit test once.",
        ),
        "Adaptive ANC re-measures the noise around you every few seconds, so you never need to switch modes.",
    ),
    "transparency-mode": (
        "Hearing your surroundings with Transparency Mode on {product}",
        (
            "Press and hold the touch area for 2 seconds.",
            "Listen for the 'Transparency' prompt.",
            "Choose Fully Transparent or Vocal Mode in the app.",
        ),
        "Vocal Mode lets voices through while still reducing traffic noise.",
    ),
    "ldac": (
        "Streaming Hi-Res audio with LDAC on {product}",
        (
            "Open the Soundcore app.",
            "Go to Sound > Audio Quality.",
            "Select Sound Quality Priority (LDAC).",
            "Reconnect the device.",
        ),
        "LDAC works with Android 8.0 and later; iPhones use AAC. LDAC turns multipoint off on some models.",
    ),
    "multipoint": (
        "Connecting {product} to two devices at once",
        (
            "Pair {product} with the first device.",
            "Open the Soundcore app and turn on Dual Connections.",
            "Put {product} into pairing mode again.",
            "Pair the second device.",
        ),
        "Calls always take priority over music on the other device.",
    ),
    "wireless-charging": (
        "Charging {product} wirelessly",
        (
            "Use a Qi-certified charging pad.",
            "Place the case LED-side up in the centre of the pad.",
            "Check that the LED turns on.",
        ),
        "Wireless charging is slower than USB-C: plan about 3 hours for a full case.",
    ),
    "app-eq": (
        "Customising the sound of {product} with the EQ",
        (
            "Open the Soundcore app.",
            "Tap EQ.",
            "Pick a preset or tap Custom.",
            "Drag the 8 bands and save your profile.",
        ),
        "Try the Podcast preset for clearer voices at low volume.",
    ),
    "hearid": (
        "Personalising {product} with HearID",
        (
            "Find a quiet room.",
            "Open the Soundcore app and tap HearID.",
            "Tap when you hear each tone.",
            "Compare the result with the default sound.",
        ),
        "Redo the test after changing ear tips.",
    ),
    "spatial-audio": (
        "Turning on spatial audio on {product}",
        ("Open the Soundcore app.", "Tap Spatial Audio.", "Choose Movie or Music mode."),
        "Movie mode widens the stage most; Music mode keeps vocals centred.",
    ),
    "partycast": (
        "Linking speakers with PartyCast on {product}",
        (
            "Connect your phone to {product}.",
            "Press the PartyCast button.",
            "Press the PartyCast button on each other speaker.",
            "Wait for the confirmation tone.",
        ),
        "All speakers must support PartyCast 2.0; the first speaker is the host.",
    ),
    "stereo-pairing": (
        "Setting up a stereo pair with {product}",
        (
            "Turn on both speakers.",
            "Press the TWS button on the first speaker.",
            "Press the TWS button on the second speaker within 10 seconds.",
        ),
        "Place the speakers 2-3 m apart for the best stereo image.",
    ),
    "light-show": (
        "Customising the light show on {product}",
        ("Open the Soundcore app.", "Tap Light Show.", "Pick an effect and a colour palette."),
        "Turning lights off adds up to 20% more playtime.",
    ),
    "find-my-device": (
        "Finding a lost {product} earbud",
        ("Open the Soundcore app.", "Tap Find Device.", "Select the left or right earbud and tap Play."),
        "The earbud must be out of the case and within Bluetooth range.",
    ),
    "gaming-mode": (
        "Lowering latency with Gaming Mode on {product}",
        ("Open the Soundcore app.", "Tap Gaming Mode.", "Turn it on before starting your game."),
        "Gaming Mode raises power use slightly.",
    ),
    "sleep-monitoring": (
        "Tracking your sleep with {product}",
        ("Open the Soundcore app.", "Tap Sleep and turn on Sleep Monitoring.", "Choose a masking sound and an alarm."),
        "Keep the case within reach of your phone overnight so the data syncs in the morning.",
    ),
    "wear-detection": (
        "Using wear detection on {product}",
        ("Open the Soundcore app.", "Go to Settings > Wear Detection.", "Turn on Auto-pause."),
        "Turn it off if you often wear the device resting on your neck.",
    ),
}

# FAQ entries per category: (question, answer). Placeholders: {product} and spec keys of that category.
FAQ_ENTRIES: dict[str, tuple[tuple[str, str], ...]] = {
    "earbuds": (
        (
            "How long does the battery of {product} last?",
            "Up to {battery_hours} hours per charge and {battery_with_case_hours} hours with the charging case.",
        ),
        (
            "Is {product} waterproof?",
            "{product} is rated {ip_rating}. Dry the earbuds before putting them in the case.",
        ),
        ("Which codecs does {product} support?", "{codecs}, over Bluetooth {bluetooth}."),
        ("How do I charge {product}?", "Charging: {charging}. The case LEDs show the battery level."),
        (
            "Can I use one earbud on its own?",
            "Yes. Either earbud works alone; take the other out of the case when you want stereo.",
        ),
        (
            "Where do I find the firmware version?",
            "Open the Soundcore app, select {product} and go to Settings > Firmware Update.",
        ),
        ("How much does one earbud weigh?", "{weight}."),
    ),
    "headphones": (
        (
            "How long does the battery of {product} last?",
            "Up to {battery_hours} hours, or {battery_anc_hours} hours with noise cancelling on.",
        ),
        (
            "Can I use {product} with a cable?",
            "Yes, connect the supplied 3.5 mm cable. Turn the headphones on to keep ANC.",
        ),
        ("Which codecs does {product} support?", "{codecs}, over Bluetooth {bluetooth}."),
        ("Do {product} fold?", "Foldable: {foldable}."),
        ("How heavy are {product}?", "{weight}."),
        (
            "Can I replace the ear cushions?",
            "Yes, the cushions clip off. Genuine replacement cushions are sold in the Soundcore store.",
        ),
    ),
    "speakers": (
        ("How long does {product} play on a charge?", "Up to {battery_hours} hours at 50% volume with lights off."),
        (
            "Is {product} waterproof?",
            "{product} is rated {ip_rating}. Close the port cover before taking it near water.",
        ),
        ("How loud is {product}?", "{output_power} of output."),
        ("Can I connect two {product} speakers?", "Yes, use stereo pairing, or PartyCast where supported."),
        ("Which codecs does {product} support?", "{codecs}, over Bluetooth {bluetooth}."),
        ("How heavy is {product}?", "{weight}."),
    ),
    "power": (
        ("How much capacity does {product} have?", "Capacity: {capacity}."),
        ("How fast does {product} charge my phone?", "Up to {max_output}."),
        ("Which ports does {product} have?", "{ports}."),
        ("Can I take {product} on a plane?", "Power banks under 100 Wh are allowed in hand luggage on most airlines."),
        ("How do I recharge {product}?", "Input: {input}."),
    ),
    "accessories": (
        ("Which products does {product} fit?", "See the compatibility list on the product page."),
        ("What is {product} made of?", "{material}."),
        ("How much does {product} weigh?", "{weight}."),
    ),
}

GENERAL_FAQS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "How long is the Soundcore warranty?",
        (
            "Soundcore audio products carry an 18-month limited warranty from the date of purchase. Power "
            "products carry 24 months. Keep your order number: it is all you need to make a claim."
        ),
        ("warranty",),
    ),
    (
        "How do I make a warranty claim?",
        (
            "Open a ticket on the support site, choose Warranty Claim, and attach your order number and a "
            "short video of the problem. Approved claims receive a prepaid shipping label."
        ),
        ("warranty", "support"),
    ),
    (
        "How do I update firmware?",
        (
            "Open the Soundcore app, select your device and tap Settings > Firmware Update. Keep the device "
            "charged above 50% and close to the phone until the update finishes."
        ),
        ("firmware",),
    ),
    (
        "Do I need a Soundcore account?",
        "No. The app works without an account, but an account backs up your EQ profiles and registers your warranty.",
        ("app", "account"),
    ),
    (
        "Which phones support LDAC?",
        (
            "Most Android phones running Android 8.0 or later support LDAC. iPhones do not; they use AAC, "
            "which Soundcore devices also support."
        ),
        ("ldac", "bluetooth"),
    ),
    (
        "What is PartyCast?",
        (
            "PartyCast links compatible Soundcore speakers so they play the same music in sync. PartyCast "
            "2.0 speakers work with each other, but not with the first generation."
        ),
        ("partycast", "speakers"),
    ),
    (
        "How do I return a product?",
        (
            "Products bought from the Soundcore store can be returned within 30 days. Start the return from "
            "your order page."
        ),
        ("returns", "orders"),
    ),
    (
        "How long does shipping take?",
        "Orders ship within 1 business day. Standard delivery takes 2-5 business days in the US and EU.",
        ("shipping", "orders"),
    ),
    (
        "Can I use Soundcore earbuds with a PlayStation or Xbox?",
        (
            "Consoles do not support Bluetooth audio directly. Use a USB-C Bluetooth transmitter, or the "
            "headphones' 3.5 mm cable on the controller."
        ),
        ("gaming", "bluetooth"),
    ),
    (
        "Is the Soundcore app available on desktop?",
        "No. The Soundcore app is available for iOS and Android only; firmware updates need a phone.",
        ("app",),
    ),
    (
        "How should I clean my earbuds?",
        (
            "Wipe the earbuds with a dry cloth, brush the mesh gently, and clean the charging contacts with "
            "isopropyl alcohol once a month. Never rinse them under water."
        ),
        ("care", "earbuds"),
    ),
    (
        "Why does my device say 'battery low' so early?",
        (
            "The warning plays at 10-20% depending on the model. If it plays much earlier, recalibrate the "
            "battery by running it empty and charging it fully once."
        ),
        ("battery",),
    ),
    (
        "What does the IP rating mean?",
        (
            "The first digit rates dust protection and the second water protection. IPX7 survives immersion "
            "to 1 m for 30 minutes; IPX4 resists splashes and sweat."
        ),
        ("waterproof",),
    ),
    (
        "Where is the serial number?",
        (
            "On earbuds it is inside the case lid; on headphones under the ear cushion; on speakers next to "
            "the charging port."
        ),
        ("warranty", "support"),
    ),
    (
        "Does Soundcore sell replacement parts?",
        (
            "Replacement charging cases, ear tips, ear cushions and cables are available for most current "
            "products in the Soundcore store."
        ),
        ("accessories", "orders"),
    ),
)

RELEASE_NOTE_CHANGES: tuple[str, ...] = (
    "Improved Bluetooth connection stability with {phone}.",
    "Faster reconnection when taking the device out of the case.",
    "Reduced background hiss in noise-cancelling mode.",
    "Improved call quality in windy conditions.",
    "Added two new EQ presets: Podcast and Acoustic.",
    "Improved battery reporting accuracy.",
    "Reduced latency in Gaming Mode.",
    "Improved multipoint switching between a phone and a laptop.",
    "Updated voice prompts in German, French and Japanese.",
    "General performance and stability improvements.",
    "Improved wear detection accuracy with glasses.",
    "Faster firmware update transfer.",
)

# Localised articles: locale -> (setup title, setup body, faq title, faq body); placeholder {product}.
LOCALIZED: dict[str, tuple[str, str, str, str]] = {
    "de-DE": (
        "{product} einrichten",
        (
            "# {product} einrichten\n\n{product} ist in wenigen Minuten einsatzbereit.\n\n"
            "1. Schalte {product} ein oder öffne das Ladeetui; das Gerät wechselt in den Kopplungsmodus.\n"
            "2. Öffne die Bluetooth-Einstellungen deines Smartphones und wähle {product}.\n"
            "3. Installiere die Soundcore-App und füge {product} mit + hinzu.\n"
            "4. Installiere die neueste Firmware, wenn die App sie anbietet.\n\n"
            "## Tipp\n\nIn der App kannst du den Equalizer an deinen Geschmack anpassen."
        ),
        "Häufige Fragen zu {product}",
        (
            "# Häufige Fragen zu {product}\n\n**Wie aktualisiere ich die Firmware?**\n\nÖffne die Soundcore-App, wähle "
            "{product} und tippe auf Einstellungen > Firmware-Update.\n\n**Wie lange gilt die "
            "Garantie?**\n\n18 Monate ab "
            "Kaufdatum. Bewahre deine Bestellnummer auf.\n\n**Was tun, wenn die Verbindung abbricht?**\n\nEntferne "
            "{product} aus der Bluetooth-Liste und kopple das Gerät erneut."
        ),
    ),
    "fr-FR": (
        "Configurer {product}",
        (
            "# Configurer {product}\n\n{product} est prêt en quelques minutes.\n\n"
            "1. Allumez {product} ou ouvrez le boîtier de charge ; l'appareil passe en mode appairage.\n"
            "2. Ouvrez les réglages Bluetooth de votre téléphone et sélectionnez {product}.\n"
            "3. Installez l'application Soundcore et ajoutez {product} avec +.\n"
            "4. Installez le dernier firmware lorsque l'application le propose.\n\n"
            "## Astuce\n\nL'égaliseur de l'application vous permet d'adapter le son à vos goûts."
        ),
        "Questions fréquentes sur {product}",
        (
            "# Questions fréquentes sur {product}\n\n**Comment mettre à jour le firmware ?**\n\nOuvrez l'application "
            "Soundcore, sélectionnez {product} puis Réglages > Mise à jour du firmware.\n\n**Quelle est la durée de la "
            "garantie ?**\n\n18 mois à compter de la date d'achat.\n\n**Que faire si la connexion se coupe ?**\n\n"
            "Supprimez {product} de la liste Bluetooth et appairez-le de nouveau."
        ),
    ),
    "ja-JP": (
        "{product} のセットアップ方法",
        (
            "# {product} のセットアップ方法\n\n{product} は数分で使い始められます。\n\n"
            "1. {product} の電源を入れるか充電ケースを開けると、ペアリングモードになります。\n"
            "2. スマートフォンの Bluetooth 設定で {product} を選択します。\n"
            "3. Soundcore アプリをインストールし、+ から {product} を追加します。\n"
            "4. アプリに表示された場合は最新のファームウェアに更新します。\n\n"
            "## ヒント\n\nアプリのイコライザーで好みの音質に調整できます。"
        ),
        "{product} のよくある質問",
        (
            "# {product} のよくある質問\n\n**ファームウェアの更新方法は？**\n\nSoundcore アプリで {product} を選択し、"  # noqa: RUF001 - Japanese text uses full-width punctuation
            "設定 > ファームウェア更新 をタップします。\n\n**保証期間は？**\n\n購入日から18か月です。\n\n"  # noqa: RUF001 - Japanese text uses full-width punctuation
            "**接続が切れる場合は？**\n\nBluetooth の一覧から {product} を削除し、もう一度ペアリングしてください。"  # noqa: RUF001 - Japanese text uses full-width punctuation
        ),
    ),
}

# ---- content items -------------------------------------------------------------------------------

CONTENT_KINDS: tuple[str, ...] = ("product_description", "marketing_email", "social_post", "support_macro")

CONTENT_TITLES: dict[str, str] = {
    "product_description": "{product} product page copy",
    "marketing_email": "{product} launch email",
    "social_post": "{product} social post",
    "support_macro": "{product} support macro: first response",
}

HEADLINES: tuple[str, ...] = (
    "Meet {product}.",
    "{product}: hear more of what matters.",
    "Your day, your sound: {product}.",
    "Less noise. More music. {product}.",
    "Built for the way you listen: {product}.",
)

CONTENT_BODIES: dict[str, tuple[str, ...]] = {
    "product_description": (
        "{headline}\n\n{blurb}\n\n- {spec_line}\n- Works with the Soundcore app\n- 18-month warranty",
        "{headline}\n\n{blurb} {feature_line}\n\n- {spec_line}\n- Works with the Soundcore app\n- 18-month warranty",
    ),
    "marketing_email": (
        (
            "Subject: {headline}\n\nHi {{first_name}},\n\n{blurb}\n\n{feature_line}\n\nShop {product} now for "
            "{price}.\n\nThe Soundcore team"
        ),
        (
            "Subject: {headline}\n\nHi {{first_name}},\n\nWe made {product} for people who listen all day. "
            "{feature_line}\n\nAvailable now for {price}, with free shipping.\n\nThe Soundcore team"
        ),
    ),
    "social_post": (
        "{headline} {feature_line} #Soundcore #{tag}",
        "New drop: {product}. {blurb} Link in bio. #Soundcore #{tag}",
    ),
    "support_macro": (
        (
            "Hi {{customer_name}},\n\nThanks for contacting Soundcore about your {product}. To help us look into this, "
            "please tell us the firmware version shown in the Soundcore app and your phone model.\n\nBest regards,\n"
            "{{agent_name}}"
        ),
        (
            "Hi {{customer_name}},\n\nSorry to hear your {product} is giving you trouble. Most issues are fixed by "
            "updating the firmware in the Soundcore app and pairing the device again. Could you try that and let us "
            "know?\n\nBest regards,\n{{agent_name}}"
        ),
    ),
}

REVISION_NOTES: tuple[str, ...] = (
    "",
    "\n\n<!-- tightened copy after review -->",
    "\n\n<!-- legal: warranty wording approved -->",
    "\n\n<!-- localisation notes added -->",
)

# ---- tickets -------------------------------------------------------------------------------------

CUSTOMER_OPENERS: tuple[str, ...] = (
    "Hi,",
    "Hello,",
    "Hi there,",
    "Hello Soundcore team,",
    "Good morning,",
    "Hey,",
)

CUSTOMER_CONTEXT: tuple[str, ...] = (
    "I bought my {product} {ago} and until recently it worked fine.",
    "My {product} is about {ago_short} old.",
    "I got {product} as a gift {ago}.",
    "I use {product} every day for commuting.",
    "I have had {product} for {ago_short}.",
)

AGO: tuple[tuple[str, str], ...] = (
    ("two weeks ago", "two weeks"),
    ("last month", "one month"),
    ("three months ago", "three months"),
    ("about half a year ago", "six months"),
    ("last year", "a year"),
)

CUSTOMER_ASKS: tuple[str, ...] = (
    "Can you help?",
    "What can I do?",
    "Is this a known problem?",
    "Do I need to send it in?",
    "Please advise.",
    "I would like a replacement if it cannot be fixed.",
)

CUSTOMER_DETAILS: tuple[str, ...] = (
    "I use it with a {phone}.",
    "My phone is a {phone} on the latest update.",
    "The app shows firmware {fw}.",
    "I already tried restarting my phone.",
    "It started after the last firmware update.",
    "",
)

CUSTOMER_THANKS: tuple[str, ...] = (
    "That worked, thank you so much!",
    "All good now, thanks for the quick help.",
    "Received the replacement today and it works perfectly. Thanks!",
)

CUSTOMER_FOLLOW_UPS: tuple[str, ...] = (
    "Thanks, I tried that but the problem is still there.",
    "I did the reset. It is better now but it happened once again today.",
    "Here is my order number: {order}.",
    "Attached is a short video showing the problem.",
    "I cannot find that option in the app. Where exactly is it?",
    "OK, I will try this tonight and get back to you.",
    "Still happening. Can I get a replacement?",
    "Firmware is {fw}, phone is a {phone}.",
)

AGENT_GREETINGS: tuple[str, ...] = (
    "Hi {customer}, thanks for reaching out.",
    "Hello {customer}, thank you for contacting Soundcore support.",
    "Hi {customer}, sorry to hear about the trouble with your {product}.",
)

AGENT_CLOSINGS: tuple[str, ...] = (
    "Let me know how it goes.",
    "If this does not help, reply to this message and we will arrange a replacement.",
    "I will keep this ticket open for a few days in case you need anything else.",
)

AGENT_GLAD = "Glad to hear it is working again! I will close this ticket; reply any time if the problem returns."

# What an agent answers to each customer follow-up, by the follow-up's index in CUSTOMER_FOLLOW_UPS.
AGENT_FOLLOW_UPS: tuple[str, ...] = (
    "Thanks for trying. I have started a warranty replacement; you will receive a shipping label by email.",
    (
        "Thanks for the update. Our engineering team is aware of this and a firmware fix is planned. I will "
        "update you as soon as it is out."
    ),
    "Thank you. I have attached the order to this ticket. Could you also send a photo of the serial number?",
    "Thanks for the video, that helps. I have escalated it to our product team and will get back to you.",
    "The option is under Settings in the Soundcore app, after you select your device on the home screen.",
    "Sounds good. I will keep this ticket open; just reply here when you have tried it.",
    "Of course. I have approved a replacement; you will receive a prepaid shipping label by email.",
    "Thank you for the details. That firmware is affected; please update to the latest version in the app.",
)

INTERNAL_NOTES: tuple[str, ...] = (
    "Known issue, linked to {issue}. Customer is within warranty.",
    "Checked order history: purchased from the official store, eligible for replacement.",
    "Escalating to tier 2; third contact about the same device.",
    "Customer seems frustrated; offered expedited shipping.",
    "Firmware {fw} reported in the customer's app screenshot.",
    "Waiting on engineering for a firmware ETA ({issue}).",
)

# (subject, description, answer, categories the question fits; empty means any)
GENERAL_QUESTIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "How do I connect {product} to two devices?",
        "I want to use my {product} with my laptop and my phone at the same time. How do I set that up?",
        (
            "You can turn on Dual Connections in the Soundcore app under Settings, then pair the second "
            "device while {product} is in pairing mode."
        ),
        ("earbuds", "headphones"),
    ),
    (
        "Warranty claim for {product}",
        "My {product} stopped working and I would like to make a warranty claim. Order number {order}.",
        (
            "I have checked your order and the device is within warranty. I have created a replacement "
            "order; you will receive a prepaid label to return the old unit."
        ),
        (),
    ),
    (
        "Missing ear tips in the box",
        "The box of my {product} only had two sizes of ear tips. Can you send the missing ones?",
        "Sorry about that! I have shipped a full set of ear tips to the address on your order, free of charge.",
        ("earbuds",),
    ),
    (
        "Where can I download the Soundcore app?",
        "I cannot find the app for {product}. Is there one?",
        (
            "Yes: search for 'Soundcore' in the App Store or Google Play. The app lets you update firmware "
            "and change the EQ of {product}."
        ),
        ("earbuds", "headphones", "speakers"),
    ),
    (
        "Order {order} arrived damaged",
        "The package with my {product} arrived with a crushed box and the device has a scratch.",
        (
            "I am sorry your order arrived damaged. I have sent a replacement at no cost; there is no need "
            "to return the damaged one."
        ),
        (),
    ),
    (
        "Can I use {product} with my PS5?",
        "Does {product} work with a PlayStation 5 over Bluetooth?",
        (
            "The PS5 does not support Bluetooth audio. You can use a USB-C Bluetooth transmitter, or a 3.5 "
            "mm cable on the controller where your device has a jack."
        ),
        ("earbuds", "headphones"),
    ),
    (
        "Firmware update stuck at 0%",
        "The firmware update for {product} does not start; it stays at 0% in the app.",
        (
            "Please charge {product} above 50%, keep the phone within 1 m, turn off Wi-Fi on the phone and "
            "try the update again."
        ),
        ("earbuds", "headphones", "speakers"),
    ),
    (
        "Is {product} compatible with my iPhone?",
        "I have an iPhone. Will {product} work fully with it?",
        (
            "Yes, {product} works with iPhone over Bluetooth and the Soundcore app is available on iOS. LDAC "
            "is Android-only; iPhones use AAC."
        ),
        (),
    ),
    (
        "Change delivery address for order {order}",
        "I entered the wrong address for my {product} order. Can you change it?",
        (
            "I have updated the delivery address. The carrier will deliver to the new address; tracking may "
            "take a day to update."
        ),
        (),
    ),
    (
        "Can I take {product} on a plane?",
        "I am flying next week. Can I bring {product} in my hand luggage?",
        "Yes. {product} is below the 100 Wh limit, so it is allowed in hand luggage; it must not go in checked bags.",
        ("power",),
    ),
    (
        "How do I pair two {product} speakers?",
        "I bought a second {product}. How do I make them play together?",
        (
            "Press the TWS or PartyCast button on the first speaker, then on the second within 10 seconds. "
            "The Soundcore app also has a guided setup."
        ),
        ("speakers",),
    ),
    (
        "Which size is {product}?",
        "Before I order {product}, which devices does it fit?",
        "You can find the full compatibility list on the product page; I have also sent it to you by email.",
        ("accessories",),
    ),
)

TICKET_SUBJECTS_FROM_ISSUE: tuple[str, ...] = (
    "{product}: {symptom}",
    "{symptom} ({product})",
    "Problem with my {product}",
    "{product} - {title}",
    "{title}",
)

ORDER_PREFIXES: tuple[str, ...] = ("SC", "AMZ", "US", "EU")

# ---- search --------------------------------------------------------------------------------------

PRODUCT_QUERY_TOPICS: tuple[str, ...] = (
    "not charging",
    "reset",
    "firmware update",
    "pairing",
    "battery life",
    "manual",
    "ear tips",
    "warranty",
    "eq settings",
    "disconnecting",
    "noise cancelling",
    "waterproof",
    "review",
)

GENERAL_QUERIES: tuple[str, ...] = (
    "how to update firmware",
    "partycast setup",
    "ldac android",
    "soundcore app eq",
    "multipoint",
    "warranty claim",
    "return policy",
    "earbuds not charging",
    "one earbud not working",
    "factory reset earbuds",
    "bluetooth keeps disconnecting",
    "best anc earbuds",
    "sleep earbuds",
    "open ear earbuds running",
    "power bank airplane",
    "fast charging iphone",
    "replacement charging case",
    "ear tips sizes",
    "stereo pairing speakers",
    "crackling sound",
    "spatial audio",
    "wireless charging case",
)

ZERO_RESULT_QUERIES: tuple[str, ...] = (
    "liberty 6 release date",
    "dolby atmos",
    "soundcore trade in",
    "libety 4 nc",
    "spce q45 ear pads",
    "airplay 2",
    "repair center berlin",
    "student discount",
    "lightning earbuds",
    "motion x700",
    "aptx adaptive",
    "bose comparison",
    "hearing aid mode",
    "vinyl turntable",
)
