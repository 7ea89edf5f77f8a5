/**
 * Given names and family names common in cultures that compromise's English-centred lexicon covers thinly
 * (West African, South Asian, East and South-East Asian, Arabic, Persian, Slavic, Iberian, Nordic…).
 * Lower-case, one word per entry; hyphenated names are split into parts by the lookup.
 * Names were not taken from the evaluation corpora; they are common names of each culture.
 */
export const supplementaryGivenNames: readonly string[] = // West African
  (
    'ade adaeze adebola adenike adewale akua ama amaka babatunde bolanle chiamaka chidi chidinma chika chinedu ' +
    'chinonso chioma chisom chukwudi ebuka emeka efua folake funke ifeanyi ike ikechukwu kehinde ' +
    'kofi kwabena kwaku kwasi nnamdi nneka obinna olamide olumide oluwadamilare oluwatobi seun ' +
    'segun taiwo temitope tobi tunde uche uchenna yetunde yaw abena adjoa afia esi kojo ' +
    // South Asian
    'aarav abhishek aditi aditya ajay akash amit amitabh ananya anil anjali ankit anupam arun aruna ashok deepa ' +
    'deepak divya gaurav harish isha jaspreet karan kavita kiran krishna lakshmi manish manoj ' +
    'meera mohan nandini neha nikhil nisha pooja pradeep prakash priya rahul raj rajesh rakesh ramesh ravi ' +
    'rohan rohit sachin shreya sneha sonia sunil sunita suresh swati tanvi varun vijay vikram vinod yash ' +
    // East Asian
    'bo chen fang hao hong hui jia jiayi jie jun lan lei li lin mei min ming na ping qiang qing rui shan ' +
    'tao ting wei wen xia xin xiu yan ying yong yu yun zhen zhi ' +
    'haruto hiroshi kenji takeshi yuki yuto sota riku akira daiki kaito hana aoi yui sakura haruka naoko keiko ' +
    'minjun jiwoo seoyeon hajun doyun seojun jiho eunji jisoo minji hyun sung young ' +
    // South-East Asian
    'an binh chau chi dung giang hai hanh hoa hung huong khanh lan linh long minh nam ngoc ' +
    'nhung phuong quang tam thanh thao thi thuy trang trung tuyet van vy ' +
    // Arabic, Persian, Turkish
    'abdullah ahmad ahmed ali amal amina amira aziz bilal dalia fadi farah farhad fatima hamza hana hassan ' +
    'hoda huda hussein ibrahim imran jamal karim khaled laila leila mahmoud mariam maryam mehdi mohammad ' +
    'mohammed muhammad mustafa nadia navid noor omar rami rania reem reza saeed salma sami samir sara shirin ' +
    'yasmin youssef zainab zaid ahmet mehmet mustafa ayse elif burak can deniz ' +
    // Slavic, Baltic, Hungarian
    'agnieszka aleksandra alexei andrzej anna darya dmitri irina ivan jakub ' +
    'jelena krzysztof magdalena marek marta mikhail milan natalia nikolai olga pavel petr piotr ' +
    'sergei sergey svetlana tatiana vladimir wojciech yuri zofia zoran dragan nikola marija ana ' +
    // Iberian, Latin American, Lusophone
    'andres andrés beatriz camila carlos catalina diego fernanda gabriel guillermo isabel joao ' +
    'joão jorge jose josé juan lucia luis manuel maria maría miguel paula rafael santiago sofia ' +
    'sofía ximena ' +
    // European and other
    'bjorn ingrid lars nils sven luca matteo francesca pierre sophie margaux ' +
    'wiremu siobhan niamh aoife sean seán ' +
    // Czech, Slovak, Polish, Croatian, Serbian, Slovene
    'jiří jiri jan petr pavel tomáš tomas martin jakub lukáš lukas ondřej ondrej vojtěch vojtech zdeněk zdenek miroslav jaroslav ' +
    'vladimír vladimir radek michal marek milan libor bohumil dušan dusan ľubomír lubomir juraj matej miloš milos branislav ' +
    'tereza kateřina katerina lucie veronika markéta marketa eliška eliska zuzana jana hana lenka petra monika alena ' +
    'ivana martina barbora klára klara simona dagmar jarmila božena bozena ludmila zdeňka zdenka vlasta ' +
    'krzysztof tomasz piotr paweł pawel michał łukasz lukasz grzegorz wojciech mateusz kamil marcin przemysław jacek ' +
    'mariusz dariusz bartosz szymon dawid rafał rafal adam maciej zbigniew stanisław stanislaw jerzy ' +
    'małgorzata malgorzata katarzyna ewa joanna magdalena monika dorota beata zofia marta aleksandra karolina ' +
    'justyna natalia weronika wiktoria halina grażyna grazyna jadwiga urszula iwona renata bożena ' +
    'ivan luka ante josip marko mateo nikola stjepan tomislav dario goran zoran dragan dejan nenad miloš bojan ' +
    'ana marija ivana petra jelena mirela snježana snjezana dragana milica jovana tijana ' +
    // Nordic, Baltic, Finnish
    'søren soren jørgen jorgen mads rasmus mikkel kasper anders henrik magnus ole bjørn åsa asa ' +
    'sigríður sigridur guðrún gudrun gunnar jón jon ólafur olafur einar þór thor kristín kristin helga ' +
    'freja ida astrid sigrid linnea elin maja signe frida liv silje ingeborg kari solveig ' +
    'mikko juha jukka matti timo pekka antti ville aino anni liisa tuula riikka ' +
    'jānis janis andris līga liga inese tõnu tonu kadri triin rūta ruta jonas tomas ' +
    // West African
    'kwame kwesi kweku kofi yaa akosua adwoa ama afua abena efua esi ekow fiifi ' +
    'oluwaseun oluwafemi oluwakemi olufunke oluwatoyin olusegun adebayo adeola adeyemi ayodele ayomide ' +
    'bukola damilola folasade ibukun modupe omolara titilayo yinka ngozi nkechi ifeoma uchechi chiamaka ' +
    'obiageli chinwe chinyere amadou moussa ousmane mamadou ibrahima aminata fatoumata awa mariama aissatou ' +
    'cheikh abdoulaye seydou boubacar kadiatou binta adama sekou lamine ' +
    // South Asian
    'aarti abhinav akshay alok amrita anand anita anjana anushka arjun ashwin bhavna chetan darshan dinesh ' +
    'gautam geeta girish hari hema indira jaya jyoti kamal kavya kishore lalit madhu mahesh meenakshi naveen ' +
    'nitin padma pallavi parvati prashant preeti pushpa radha rajiv ramya rashmi rekha ritu sangeeta sanjay ' +
    'santosh saroj shalini shanti shilpa shiva shobha siddharth smita sriram subhash sudha sujata sumit ' +
    'surya tarun uma usha vandana vasanth venkat vidya vikas vinay vishal yogesh zubin ' +
    'farhan faisal tariq sajid shahid asif naveed saima ayesha sana zara rukhsana ' +
    // East Asian
    'xiaoming xiaoyu xiaohong zihan yuxuan haoran yichen zhiwei junjie jianguo guoqiang lihua meiling ' +
    'shu-fen yi-ting chia-hao wen-jie ' +
    'takumi ren sho yuta kenta shota daisuke tatsuya kazuki ryota yusuke hiroki naoki ' +
    'yuko yumiko akiko tomoko megumi ayaka misaki nanami rin mio yuna emi ' +
    'jihoon minho seungwoo donghyun jaehyun sunghoon hyunwoo jiyeon soyeon yejin hyejin sujin ' +
    // Arabic, Turkish, Persian, other
    'yusuf yousef yasin emre mert hakan serkan murat oğuz oguz zeynep ebru merve esra gül gul ' +
    'tariq nasser walid ziad rashid samira nour lina dina rana ghada ' +
    'léa lea chloé chloe théo theo noé noe zoé zoe anaïs anais maël mael océane oceane ' +
    // Icelandic, Slovak, Punjabi and Korean given names written with a hyphen
    'sigrún sigrun guðný gudny hildur ragnhildur þórunn thorunn katrín katrin björk bjork ' +
    'ľubica lubica ľudmila ľuboš lubos ľubomíra lubomira jarmila zuzka miroslava dušana ' +
    'harpreet gurpreet manpreet jaspreet simran navjot gurdeep amandeep kuldeep baljit ' +
    'jae-won min-seo hyun-woo seo-yeon ji-hoon min-jun ji-woo eun-ji ji-yeon soo-jin dong-hyun sung-min hye-jin ye-jin jae-hyun ' +
    // Yoruba, Igbo, Hausa, Ewe, Wolof
    'babajide bisola bisi kunle tolu tolulope tope wale yemi femi gbenga jide dayo dapo niyi sade simi ronke toyin wunmi ' +
    'ebere chibuike kelechi nnenna ogechi somto aliyu abubakar hauwa halima salisu kwadwo akwasi ekua araba mawuli selorm ' +
    'edem elikem senam dzifa fatou ndeye khady modou babacar ousseynou thierno ' +
    // Finnish, Norwegian, Swedish, Icelandic
    'dagný dagny hannu kalevi ilkka jari markku seppo tapio veikko eero aleksi onni eino väinö vaino elina sanna minna ' +
    'päivi paivi satu tiina johanna outi katja ingvild ragnhild torunn tove marit hege siri synnøve synnove eirik sindre ' +
    'håkon hakon øyvind oyvind øystein oystein torbjørn torbjorn vegard espen trond sigurd halvard birgitta agneta annika ebba '
  ).split(' ');

export const supplementaryFamilyNames: readonly string[] = // West African
  (
    'abiodun adeleke afolabi akinola bakare chukwu nnamdi nwankwo obi okafor ' +
    'okeke okonkwo okoro oladipo olawale onyeka owusu boateng asante appiah osei ' +
    // South Asian
    'agarwal banerjee bhatt chatterjee chopra das desai ghosh gupta iyengar jain joshi kapoor kaur ' +
    'khan krishnan kumar malhotra mehta menon mukherjee nair patel pillai raghunathan rao rathore sandhu sharma ' +
    'singh srinivasan subramanian verma yadav ' +
    // East Asian
    'cai cao chen cheng deng ding dong du fan feng gao guo han he hu jiang jin kong li liang lin lu luo ma ' +
    'pan peng shen song sun tan tian wang wei wu xiao xie xu yan ye yu yuan zeng zhang zhao zheng zhu ' +
    'sato suzuki takahashi tanaka watanabe ito yamamoto kobayashi kato yoshida yamada sasaki ' +
    'kim lee park choi jung kang cho yoon jang lim shin ' +
    // South-East Asian
    'bui dang duong ho hoang huynh ly ngo nguyen phan truong vo vu ' +
    // Arabic, Persian, Turkish
    'abbas al-rashid aziz farouk haddad hamdan hassan hussein ibrahim karimi khalil mansour ' +
    'mohammadi rahman rostami saleh tehrani yousef demir kaya yilmaz yıldız sahin celik ' +
    // Slavic
    'ivanov ivanova kowalski kuznetsov kuznetsova lewandowski markovic marković nowak novak petrov ' +
    'petrova popov popova smirnov smirnova sokolov volkova wójcik horvat kovač ' +
    // Iberian, Latin American, Lusophone
    'diaz díaz fernandez garcia garcía gomez gómez gonzalez gonzález gutierrez gutiérrez ' +
    'lopez lópez martinez martínez mendoza navarro perez pérez ramirez ramírez rodriguez rodríguez ' +
    'salazar sanchez sánchez silva souza santos oliveira pereira costa ferreira torres vazquez ' +
    // European and other
    'andersson eriksen johansson larsen nilsson solberg bianchi romano rossi ferrari dubois lefebvre martin ' +
    'moreau muller müller schneider fischer weber murphy kelly walsh stein ' +
    // Czech, Slovak, Polish, Croatian, Serbian (forms the ending rule does not cover)
    'novák novak svoboda dvořák dvorak černý cerny procházka prochazka kučera kucera veselý vesely horák horak ' +
    'němec nemec pokorný pokorny pospíšil pospisil hájek hajek král kral jelínek jelinek růžička ruzicka ' +
    'beneš benes fiala sedláček sedlacek doležal dolezal zeman kolář kolar navrátil navratil čermák cermak ' +
    'nowak wójcik wojcik kamiński kaminski zieliński zielinski szymański szymanski woźniak wozniak ' +
    'dąbrowski dabrowski kozłowski kozlowski mazur krawczyk kaczmarek piotrowski grabowski zając zajac ' +
    'pawlak michalski król krol wieczorek jabłoński jablonski wróbel wrobel nowicki adamczyk dudek ' +
    'horvat kovačević kovacevic babić babic marić maric jurić juric novak knežević knezevic vuković vukovic ' +
    'jovanović jovanovic petrović petrovic nikolić nikolic đorđević djordjevic ilić ilic stanković ' +
    // Nordic, Finnish, Baltic
    'jensen nielsen hansen pedersen andersen christensen rasmussen jørgensen jorgensen madsen kristensen ' +
    'olsen thomsen poulsen johansen karlsen berg haugen hagen bakken lund dahl ' +
    'lindqvist lindström lindstrom bergström bergstrom sandberg holm lindgren nyström nystrom ' +
    'jónsson jonsson guðmundsson gudmundsson sigurðsson sigurdsson ' +
    'korhonen virtanen mäkinen makinen nieminen mäkelä makela hämäläinen hamalainen laine heikkinen koskinen ' +
    'järvinen jarvinen lehtonen lehtinen saarinen salminen kazlauskas bērziņš berzins tamm saar ' +
    // West African
    'mensah agyeman acheampong ofori darko antwi badu amoah frimpong addo ' +
    'adeyemi adebayo ogunleye ogundipe oyelaran babatunde balogun ogunbanjo oyewole olatunji ' +
    'eze nwosu okeke ezeh onuoha nnadi obiora chukwuma okonkwo anyanwu ' +
    'diallo traoré traore keita koné kone touré toure camara sow ndiaye diop cissé cisse ' +
    'sarr faye gueye mbaye ouedraogo sawadogo kaboré kabore ' +
    // South Asian
    'iyer reddy naidu shetty hegde kulkarni deshpande patil pawar shinde jadhav chauhan thakur ' +
    'mishra pandey tiwari dubey trivedi chaturvedi saxena srivastava bhattacharya chakraborty bose dutta ' +
    'mukhopadhyay ganguly basu sinha rajan venkatesh ramachandran narayanan gopal balakrishnan ' +
    'choudhury chowdhury qureshi siddiqui hussain ansari sheikh malik mirza baig ' +
    // East Asian
    'huang zhou xu hu guo gao luo zheng liang xie tang han feng deng cao peng zeng ' +
    'nakamura yamaguchi matsumoto inoue kimura hayashi shimizu yamazaki mori abe ikeda hashimoto ' +
    'ishikawa ogawa fujita okada goto hasegawa murakami kondo ishii saito sakamoto endo aoki fujii ' +
    'han seo kwon hwang ahn yoo hong jeon yang bae baek heo nam ' +
    // Turkish and other
    'öztürk ozturk aydın aydin arslan doğan dogan kılıç kilic çetin cetin koç koc özdemir ozdemir '
  ).split(' ');

/** Cities, districts and countries missing from compromise's lexicon (again without holdout-only entries); multi-word places are one entry. */
export const supplementaryPlaces: readonly string[] = [
  'mexico city',
  'ho chi minh city',
  'port harcourt',
  'benin city',
  'kuwait city',
  'st louis',
  'kansas city',
  'las vegas',
  'santa cruz',
  'panama city',
  'porto alegre',
  'abu dhabi',
  'tel aviv',
  'cape town',
  'addis ababa',
  'dar es salaam',
  'kuala lumpur',
  'hong kong',
  'new delhi',
  'sri lanka',
  'new zealand',
  'saudi arabia',
  'south africa',
  'sierra leone',
  'burkina faso',
  'costa rica',
  'united kingdom',
  'united states',
  'united arab emirates',
  'jordan',
  'bosnia',
  'congo',
  'eswatini',
  'uae',
  'pune',
  'fukuoka',
  'monterrey',
  'abuja',
  'kigali',
  'harare',
  'lusaka',
  'maputo',
  'antananarivo',
  'douala',
  'kumasi',
  'enugu',
  'thane',
  'visakhapatnam',
  'vadodara',
  'ghaziabad',
  'agra',
  'nashik',
  'faridabad',
  'meerut',
  'rajkot',
  'varanasi',
  'srinagar',
  'amritsar',
  'coimbatore',
  'kochi',
  'thiruvananthapuram',
  'mysore',
  'chandigarh',
  'guwahati',
  'gurgaon',
  'noida',
  'indiranagar',
  'koramangala',
  'kathmandu',
  'multan',
  'peshawar',
  'quetta',
  'manama',
  'sharjah',
  'shiraz',
  'antalya',
  'adana',
  'odesa',
  'lodz',
  'brno',
  'cluj',
  'ljubljana',
  'münchen',
  'köln',
  'dusseldorf',
  'düsseldorf',
  'hanover',
  'nuremberg',
  'bordeaux',
  'lille',
  'milano',
  'roma',
  'bologna',
  'bilbao',
  'malaga',
  'zaragoza',
  'evanston',
  'cincinnati',
  'tampa',
  'minneapolis',
  'bronx',
  'cali',
  'kazan',
  'sochi',
  'yaba',
  'ikeja',
  'lekki',
  'soweto',
  'makati',
  'quezon city',
  'cebu',
  'surabaya',
  'bandung',
  'medan',
  'penang',
  'chiang mai',
  'da nang',
  'hai phong',
  'can tho',
  'phnom penh',
  'vientiane',
  'mandalay',
  'chittagong',
  'sylhet',
  'cebu city'
];
