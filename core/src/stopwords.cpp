#include "stopwords.h"

#include <vector>

namespace npskit::detail {
namespace {

// One list per language, words separated by spaces, already lower-cased the
// way the tokenizer lower-cases. Comments arrive without a reliable language,
// so every list applies to every comment; a word that is a function word in
// one language but a common theme in another (German "fast", French "car",
// Dutch "door", Spanish "mal") is left out on purpose. Apostrophes split
// words, so contraction stems ("don", "isn") are listed and the remaining
// single letters are dropped by the tokenizer.
constexpr std::string_view english =
    "about above after again against all also am an and any are aren as at be because been "
    "before being below between both but by can cannot could couldn did didn do does doesn "
    "doing don down during each even ever every few for from further get gets getting got had "
    "hadn has hasn have haven having he her here hers herself him himself his how if in into is "
    "isn it its itself just let ll me more most much my myself no nor not now of off on once "
    "only or other our ours ourselves out over own re really same shan she should shouldn so "
    "some such than that the their theirs them themselves then there these they this those "
    "through to too under until up us ve very was wasn we were weren what when where which "
    "while who whom why will with won would wouldn you your yours yourself yourselves im ive id "
    "dont doesnt didnt cant wont isnt thats lot lots quite still yet etc http https www com";

constexpr std::string_view swedish =
    "och det att en jag hon som han på den med var sig för så till är men ett om hade de av "
    "icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde "
    "något från ut när efter upp vi dem vara vad över än dig kan sina här ha mot alla under "
    "någon eller allt mycket sedan ju denna själv detta åt utan varit hur ingen mitt ni bli "
    "blev oss din dessa några deras blir mina samma vilken er sådan vår blivit dess inom "
    "mellan sådant varför varje vilka ditt vem vilket sådana vart dina vars vårt våra ert era "
    "också bara väldigt lite får fick kommer kanske även ska finns";

constexpr std::string_view norwegian =
    "og jeg det at en et den til er som på de med han av ikke der så var meg seg men ett har "
    "om vi min mitt ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans hvor "
    "eller hva skal selv her alle vil bli ble blitt kunne inn når være kom noen noe ville dere "
    "deres kun ja etter ned skulle denne for deg si sine sitt mot meget hvorfor dette disse "
    "uten hvordan ingen din ditt blir samme hvilken hvilke sånn mellom vår hver hvem hvis "
    "både bare enn fordi før mange også slik vært veldig litt ikkje eg";

constexpr std::string_view danish =
    "og jeg det at en den til er som på de med han af for ikke der var mig sig men et har om "
    "vi min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal "
    "selv her alle vil blev kunne ind når være noget ville jo deres efter ned skulle denne "
    "end dette mit også under have dig anden hende mine alt meget sit sine vor mod disse hvis "
    "din nogle hos blive mange bliver hendes været jer sådan lidt bare";

constexpr std::string_view finnish =
    "olla olen olet on olemme olette ovat ole oli olisi olisin olit olin olimme olitte olivat "
    "ollut olleet en et ei emme ette eivät minä sinä hän me te he tämä tuo se nämä nuo ne mikä "
    "mitkä kuka ketkä että ja jos koska kuin mutta niin sekä sillä tai vaan vai vaikka kanssa "
    "mukaan noin yli kun nyt itse minun minua minulla minulle sinun sinua hänen häntä meidän "
    "meitä teidän heidän heitä tämän tätä tässä tästä tähän tällä tälle siitä sitä sen siinä "
    "siihen sille niitä niiden näitä mitä mistä mihin missä miksi myös erittäin aina vielä jo "
    "paljon todella";

constexpr std::string_view german =
    "aber alle allem allen aller alles als also am an andere anderen anderer anderes anders "
    "auch auf aus bei bin bis bist da damit dann der den des dem die das dass daß dich dir du "
    "dies diese diesem diesen dieser dieses doch dort durch ein eine einem einen einer eines "
    "einige einigen einiges einmal er ihn ihm es etwas euer eure eurem euren eurer für gegen "
    "gewesen hab habe haben hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren "
    "ihrer ihres euch im in indem ins ist jede jedem jeden jeder jedes jetzt kann kein keine "
    "keinem keinen keiner keines können könnte man manche mein meine meinem meinen meiner "
    "meines mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine seinem "
    "seinen seiner seines selbst sich sie ihnen sind so solche soll sollte sondern sonst über "
    "um und uns unsere unserem unseren unser unseres unter viel vom von vor während war waren "
    "was weil weiter welche welchem welchen welcher welches wenn werde werden wie wieder will "
    "wir wird wirst wo wollen wollte würde würden zu zum zur zwar zwischen immer ganz schon "
    "gibt ja";

constexpr std::string_view french =
    "au aux avec ce ces dans de des du elle en et eux il ils je la le les leur leurs lui ma "
    "mais me même mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son "
    "sur ta te tes toi ton tu un une vos votre vous été étée étées étés étant suis es est "
    "sommes êtes sont serai sera serons seront serait étais était étions étiez étaient fus fut "
    "ai as avons avez ont aurai aura aurons auront aurais aurait avais avait avions aviez "
    "avaient eu cette cet tout tous toute toutes aussi donc comme si ça cela ceci peu sans "
    "sous chez entre vers dont où quand alors encore déjà jamais rien toujours non oui peut "
    "fait faire avoir être très trop plus";

constexpr std::string_view spanish =
    "de la que el en los del se las por un para con no una su al lo como más pero sus le ya "
    "este sí porque esta entre cuando muy sin sobre también me hasta hay donde quien desde "
    "todo nos durante todos uno les ni contra otros ese eso ante ellos esto mí antes algunos "
    "qué unos yo otro otras otra él tanto esa estos mucho quienes nada muchos cual poco ella "
    "estar estas algunas algo nosotros mi mis tú te ti tu tus ellas vosotros os mío mía tuyo "
    "tuya suyo suya nuestro nuestra nuestros nuestras esos esas estoy estás está estamos están "
    "es son fue era eran ser soy eres somos sido ha he has han hemos había tiene tengo tienen "
    "tener hace";

constexpr std::string_view portuguese =
    "de o que do da em um para é com não uma os no se na por mais as dos como mas foi ao ele "
    "das tem à seu sua ou ser quando muito há nos já está eu também só pelo pela até isso ela "
    "entre era depois sem mesmo aos ter seus quem nas me esse eles estão você tinha foram essa "
    "num nem suas meu às minha têm numa pelos elas havia seja qual será nós tenho lhe deles "
    "essas esses pelas este fosse dele tu te vocês vos lhes meus minhas teu tua teus tuas "
    "nosso nossa nossos nossas dela delas esta estes estas aquele aquela aqueles aquelas isto "
    "aquilo estou estamos estava são sou somos fui";

constexpr std::string_view italian =
    "al allo ai agli all alla alle con col coi da dal dallo dai dagli dall dalla dalle di "
    "del dello dei degli dell della delle in nel nello nei negli nell nella nelle su sul sullo "
    "sui sugli sull sulla sulle per tra contro io tu lui lei noi voi loro mio mia miei mie tuo "
    "tua tuoi tue suo sua suoi sue nostro nostra nostri nostre vostro vostra vostri vostre mi "
    "ti ci vi lo la li le gli ne il un uno una ma ed se perché anche come dov dove che chi cui "
    "non più quale quanto quanti quanta quante quello quelli quella quelle questo questi "
    "questa queste si tutto tutti sono è era erano sia stato stata ho hai ha abbiamo avete "
    "hanno molto poco troppo sempre già ancora solo così però";

constexpr std::string_view dutch =
    "de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar "
    "om hem dan zou of wat mijn men dit zo over ze zich bij ook tot je mij uit der daar "
    "haar naar heb hoe heeft hebben deze want nog zal me zij nu ge geen omdat iets worden toch "
    "al waren veel meer doen toen moet ben zonder kan hun dus alles onder ja eens hier wie "
    "werd altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand "
    "geweest andere erg heel wel";

constexpr std::string_view polish =
    "aby ale albo ani aż bardzo bardziej bo by byli być był była było były będzie będą ci cię "
    "ciebie co coś czy czyli dla dlaczego dlatego do gdy gdyby gdyż gdzie go ich ile im inne "
    "inny ja ją jak jaki jakie jako je jego jej jemu jest jestem jeszcze jeśli jeżeli już "
    "każdy kiedy kilka kto która które którego której który których którym lecz lub ma mają "
    "mam mi mimo między mną mnie mogą moja moje może można mój mu my na nad nam nas nasz nasza "
    "nasze naszego nawet nic nich nie niego niej nim nią niż no od oraz on ona one oni ono po "
    "pod podczas ponieważ przed przez przy również sam są się sobie ta tak taka taki takie "
    "także tam te tego tej ten teraz też to tu tutaj ty tych tylko tym wam was wasz więc "
    "wszystko za ze że żeby był bardzo zawsze";

constexpr std::string_view arabic =
    "في من على إلى الى عن مع هذا هذه ذلك تلك التي الذي الذين كان كانت يكون لا لم لن ما ماذا "
    "هو هي هم أن إن ان انا أنا نحن كل بعد قبل عند او أو ثم قد كما لكن ولكن جدا حتى غير بين "
    "وقد وهو وهي وفي ومن فيه فيها به بها له لها منه لقد";

constexpr std::string_view hebrew =
    "של את על עם זה זו זאת הוא היא הם הן אני אתה אנחנו לא כן גם אבל כי מה מי יש אין היה "
    "הייתה היו מאוד רק עוד כל אם או אז כמו אל מן לי לו לה שלי שלו שלה שלנו";

// Function characters and pairs: single characters survive only when a CJK run
// is one character long; the pairs are bigrams that are grammar, not topics.
constexpr std::string_view chinese =
    "的 了 是 在 我 你 他 她 它 们 和 与 也 都 就 很 还 又 再 吗 呢 吧 啊 呀 嘛 这 那 个 有 没 "
    "不 对 把 被 让 给 从 到 为 而 但 及 或 并 等 么 太 我们 你们 他们 她们 它们 这个 那个 一个 "
    "这些 那些 没有 就是 可以 因为 所以 但是 而且 如果 虽然 还是 或者 已经 非常 比较 什么 怎么 "
    "这样 那样 觉得 真的 一些 一下 一直 自己 时候 现在 不是 也是 都是 还有 有点";

constexpr std::string_view japanese =
    "の は が を に で と も へ や か ね よ な です ます まし した して ませ せん ない いる ある "
    "なる でし こと もの これ それ あれ この その あの よう ため から ので けど など とて ても "
    "いま まま";

// Filler words: generic praise or complaint, thanks, hedges and intensifiers
// ("good", "nok", "bien", "gut", 不错, とても). The category already says
// whether an answer is good or bad; a theme says what about.
constexpr std::string_view fillers =
    // en
    "good ok okay fine nice well thanks thank thx pretty overall alright fairly rather bad "
    "kinda sorta "
    // sv
    "bra okej fint fin bäst tack jättebra dålig dåligt nog typ liksom lagom helt ganska "
    // nb
    "nok greit okei takk dårlige topp "
    // da
    "godt god gode tak ret "
    // fi
    "hyvä hyvin hyviä kiitos huono huonosti ihan aika kyllä tosi melko "
    // de
    "gut gute guter gutes super toll danke schlecht naja halt eben mal eigentlich ziemlich echt "
    // fr
    "bien bon bonne bons bonnes merci mauvais mauvaise vraiment assez plutôt "
    // es
    "bueno buena buenos buenas vale gracias malo mala bastante "
    // pt
    "bem bom boa bons boas legal obrigado obrigada ruim "
    // it
    "bene buono buona buoni buone grazie davvero abbastanza piuttosto "
    // nl
    "goed goede prima oké bedankt dank slecht gewoon redelijk "
    // pl
    "dobrze dobry dobra dobre dzięki dziękuję źle słabo naprawdę całkiem spoko "
    // ar
    "جيد جيدة شكرا تمام سيء عادي "
    // he
    "טוב טובה תודה בסדר סבבה רע ממש "
    // zh-CN
    "好 很好 不错 还行 还好 挺好 谢谢 一般 好的 没什么 暂无 无 "
    // ja
    "とても すごく すごい ちょっと まあ まあまあ 本当 ほんと いい 良い よい よかった 良かった "
    "ありがとう 大丈夫 普通 特に なし 特になし もう まだ また";

// Open addressing in a power-of-two table at most half full: a lookup is a
// hash, a mask and one or two comparisons, without the division and the
// pointer chasing of a node-based set.
class word_table {
 public:
  word_table() {
    std::vector<std::string_view> words;
    for (const std::string_view list :
         {english, swedish, norwegian, danish, finnish, german, french, spanish, portuguese,
          italian, dutch, polish, arabic, hebrew, chinese, japanese, fillers}) {
      std::size_t start = 0;
      while (start < list.size()) {
        std::size_t end = list.find(' ', start);
        if (end == std::string_view::npos) end = list.size();
        if (end > start) words.push_back(list.substr(start, end - start));
        start = end + 1;
      }
    }
    std::size_t size = 16;
    while (size < words.size() * 2) size *= 2;
    slots_.resize(size);
    mask_ = size - 1;
    for (const std::string_view word : words) {
      std::size_t at = term_hash(word) & mask_;
      while (slots_[at].data() != nullptr && slots_[at] != word) at = (at + 1) & mask_;
      slots_[at] = word;
    }
  }

  bool contains(std::string_view term) const {
    for (std::size_t at = term_hash(term) & mask_;; at = (at + 1) & mask_) {
      const std::string_view slot = slots_[at];
      if (slot.data() == nullptr) return false;
      if (slot == term) return true;
    }
  }

 private:
  std::vector<std::string_view> slots_;  // empty slots hold a null view
  std::size_t mask_ = 0;
};

}  // namespace

bool is_stop_word(std::string_view term) {
  // Built once from constant data; asked for every word of every comment.
  static const word_table words;
  return words.contains(term);
}

}  // namespace npskit::detail
