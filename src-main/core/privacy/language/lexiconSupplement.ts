/**
 * Given names and family names common in cultures that compromise's English-centred lexicon covers thinly
 * (West African, South Asian, East and South-East Asian, Arabic, Persian, Slavic, Iberian, Nordic…).
 * Lower-case, one word per entry; hyphenated names are split into parts by the lookup.
 * Names that occur only in the evaluation holdout are deliberately absent, so the holdout measures unseen names.
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
    'wiremu siobhan niamh aoife sean seán'
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
    'moreau muller müller schneider fischer weber murphy kelly walsh stein'
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
