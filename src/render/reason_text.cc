// The words of every reason, in Japanese and English. Labels come from the
// policy, so a company that renames a category in its policy file sees the
// new name in every message.
#include <algorithm>
#include <cstring>
#include <deque>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "src/eval/acquisition_check.h"
#include "src/render/render.h"

namespace pip {
namespace engine_internal {
namespace {

using policy_internal::CompiledComplaintStep;
using policy_internal::kNoClause;

// Which row of a code's messages applies: the evaluator's finer finding
// (ReasonRef::wording) or what the reason is about.
enum Wording : uint8_t {
  kPlain = 0,
  // PURPOSE_PERMITTED after rules applied and were met (eval kRulesMet).
  kRulesMet = eval_internal::kRulesMet,
  // CONSENT_REQUIRED of a purpose rather than a category.
  kAboutPurpose,
  // CONSENT_REQUIRED of a category only a consent naming it covers.
  kNamedCategory,
  // OUT_OF_SCOPE naming the category the consent does not cover.
  kAboutCategory,
  // FEE_UNPAID when nothing was paid.
  kNothingPaid,
  // DOCUMENT_MISSING of the requester's own document when a representative
  // asks (RequestDocument.of_requester).
  kRepresentativesOwn,
  // CHANNEL_NOT_ACCEPTED of a channel the policy does not name.
  kUnnamedChannel,
  // REVIEW_REQUIRED of a ground with no finding text in the policy.
  kNoFinding,
  // FINANCIAL_HARM_POSSIBLE said of the data in general: no category the
  // policy marks, only the caller's word.
  kNoCategory,
  // FINAL_REPORT_DUE under the longer period of a wrongful purpose.
  kWrongfulPurposePeriod,
  // CATEGORY_NOT_RETAINED_BY_KIND of a category no retention kind lists.
  kNoKindHolds,
  // PROVISION_RECORD_NOT_REQUIRED because a case of APPI 27(1) applies.
  kUnderLegalGround,
  // SUSPENDED_BY_REQUEST and THIRD_PARTY_STOPPED of a request limited to
  // purposes, to categories, or to both (8.1; eval kScopedTo*).
  kScopedToPurposes,
  kScopedToCategories,
  kScopedToBoth,
  // ERASURE_DEFERRED_BY_LAW while the record's clock has not started (eval
  // kClockNotStarted).
  kLawClockNotStarted,
  // HOLD_APPLIES when an erasure would otherwise make the record due (eval
  // kAfterErasure).
  kHoldAfterErasure,
  // CONSENT_RELIED of a consent that covers acquiring the category (eval
  // kForAcquisition).
  kForAcquisition,
  // CONFIRMATION_MISSING of each item of APPI 30(1) (the name is kPlain).
  kMissingAddress,
  kMissingRepresentative,
  kMissingHowObtained,
  // CONFIRMATION_NOT_REQUIRED of data from a successor or a joint user
  // (27(5)(ii), (iii)); from a contractor it is kPlain.
  kFromSuccessor,
  kFromJointUser,
  // PUBLISHED_EXCEPTION_APPLIES of data a public body or the press
  // published; published by the data subject it is kPlain.
  kPublishedByPublicBody,
  kPublishedByPress,
};

// Every message pip writes, Japanese and English side by side, one row per
// code and wording. Placeholders in braces are filled from the reason, the
// policy and the decision:
//   {category} {purpose} {recipient} {document} {request_type} {hold_type}
//       the policy's label, as 「…」 in Japanese and '…' in English
//   {channel}         the label of a channel of `other_channels`
//   {channel_id}      the channel the request names, as given
//   {accepted}        the accepted channels, 電話またはメール / Phone or Email
//   {consent}         the caller's id of the consent
//   {request_ref}     the caller's id of the request in brackets, if any
//   {min_version}     the policy's min_consent_version
//   {under_age}       the oldest age that needs a representative (15)
//   {retain_until} {respond_by}              dates of the decision
//   {kind}            the label of the record's retention kind
//   {article}         the title of the article a reason cites
//   {fee_due} {fee_paid} {fee_unpaid} {fee_excess}   amounts in JPY
//   {finding} {ground}  a review ground's finding text, and its id
//   {incident}        the incident as 本件(漏えいのおそれ) / This possible leak
//   {acquisition_from}  the day acquisition counts under 施行規則 7(3)
//   {people} {people_threshold}   people concerned, and the threshold of 7(4)
//   {aware_on} {preliminary_earliest} {preliminary_latest} {final_by}
//   {final_report_days}   the day of awareness and the report deadlines
//   {duty}            the text of a duty of clause 1.4
//   {step} {owner}    a step of 9.1 (quoted in Japanese) and who owns it
//   {body} {body_purpose}   an outside body of 9.2 and what it is for
//   {legal_ground}    the label of a case of APPI 27(1), quoted
//   {record_period}   how long a provision record is kept (APPI 29(2))
//   {item}            a criterion, term or supervision measure of clause 6,
//                     quoted
//   {interval}        the review interval of contractor checks (6.3, 5.1)
//   {last_checked_on} {next_check_by}   the last check and the next's due day
//   {country}         the country of a contractor abroad
//   {acquisition_channel}  the label of an acquisition channel of clause 3
//   {confirmation_period}  how long a confirmation record is kept (APPI
//                     30(4)): its retention kind's period
struct MessageRow {
  v1::ReasonCode code;
  Wording wording;
  const char* ja;
  const char* en;
};

constexpr MessageRow kMessages[] = {
    // purpose_allowed
    {v1::PURPOSE_PERMITTED, kPlain,
     "{purpose}は方針に定める利用目的であり、この利用を制限する規定はありません。",
     "{purpose} is a purpose of use of the policy, and no rule restricts "
     "this use."},
    {v1::PURPOSE_PERMITTED, kRulesMet,
     "{purpose}は方針に定める利用目的であり、この利用に適用される条件をすべて満たしています。",
     "{purpose} is a purpose of use of the policy, and this use meets every "
     "condition that applies to it."},
    {v1::CONSENT_RELIED, kPlain,
     "{category}の利用は、本人の同意({consent})に基づきます。",
     "The use of {category} relies on the data subject's consent {consent}."},
    {v1::CONSENT_REQUIRED, kPlain,
     "{category}の利用には本人の有効な同意が必要ですが、この利用を対象とする同意がありません。",
     "Using {category} needs a valid consent of the data subject, and none "
     "covers this use."},
    {v1::CONSENT_REQUIRED, kNamedCategory,
     "{category}の利用には、{category}を明示した本人の有効な同意が必要ですが、この利用を対象とする同意がありません。",
     "Using {category} needs a valid consent of the data subject that names "
     "{category}, and none covers this use."},
    {v1::CONSENT_REQUIRED, kAboutPurpose,
     "利用目的{purpose}には本人の有効な同意が必要ですが、この利用を対象とする同意がありません。",
     "The purpose {purpose} needs a valid consent of the data subject, and "
     "none covers this use."},
    {v1::NOT_HEALTH_SERVICE, kPlain,
     "{category}は健康関連サービスの提供時のみ利用できます。",
     "{category} may be used only in providing a health-related service."},
    {v1::PURPOSE_NOT_PERMITTED_FOR_CATEGORY, kPlain,
     "{category}は利用目的{purpose}には利用できません。",
     "{category} may not be used for the purpose {purpose}."},
    {v1::NECESSITY_NOT_DOCUMENTED, kPlain,
     "{category}は必要性が記録されている場合のみ利用できます。",
     "{category} may be used only where its necessity is documented."},
    {v1::NOT_ANONYMIZED, kPlain,
     "利用目的{purpose}には匿名化処理後のデータのみ利用できます。",
     "The purpose {purpose} may use anonymized data only."},
    {v1::SUSPENDED_BY_REQUEST, kPlain,
     "{request_type}の請求{request_ref}を受けているため、利用目的{purpose}には利用できません。",
     "A {request_type} request{request_ref} in force blocks the purpose "
     "{purpose}."},
    {v1::SUSPENDED_BY_REQUEST, kScopedToPurposes,
     "利用目的{purpose}を対象とする{request_type}の請求{request_ref}があるため、この利用目的には利用できません。",
     "A {request_type} request{request_ref} in force for the purpose "
     "{purpose} blocks this purpose."},
    {v1::SUSPENDED_BY_REQUEST, kScopedToCategories,
     "{category}を対象とする{request_type}の請求{request_ref}があるため、{category}は利用目的{purpose}には利用できません。",
     "A {request_type} request{request_ref} in force for {category} blocks "
     "the use of {category} for the purpose {purpose}."},
    {v1::SUSPENDED_BY_REQUEST, kScopedToBoth,
     "利用目的{purpose}での{category}の利用を対象とする{request_type}の請求{request_ref}があるため、この利用はできません。",
     "A {request_type} request{request_ref} in force for {category} used "
     "for the purpose {purpose} blocks this use."},
    {v1::THIRD_PARTY_STOPPED, kPlain,
     "{request_type}の請求{request_ref}を受けているため、{recipient}はできません。",
     "A {request_type} request{request_ref} in force blocks {recipient}."},
    {v1::THIRD_PARTY_STOPPED, kScopedToPurposes,
     "利用目的{purpose}を対象とする{request_type}の請求{request_ref}があるため、この利用目的のための{recipient}はできません。",
     "A {request_type} request{request_ref} in force for the purpose "
     "{purpose} blocks {recipient} for this purpose."},
    {v1::THIRD_PARTY_STOPPED, kScopedToCategories,
     "{category}を対象とする{request_type}の請求{request_ref}があるため、{category}の{recipient}はできません。",
     "A {request_type} request{request_ref} in force for {category} blocks "
     "{recipient} of {category}."},
    {v1::THIRD_PARTY_STOPPED, kScopedToBoth,
     "利用目的{purpose}での{category}を対象とする{request_type}の請求{request_ref}があるため、この利用目的のための{category}の{recipient}はできません。",
     "A {request_type} request{request_ref} in force for {category} used "
     "for the purpose {purpose} blocks {recipient} of {category} for this "
     "purpose."},
    {v1::LEGAL_GROUND_APPLIES, kPlain,
     "{legal_ground}に当たるため、本人の同意を得ずに利用・提供できます。利用停止・消去や第三者提供の停止の請求を受けていても、これを妨げるものではありません。",
     "This falls under the case {legal_ground} of the Act: it needs no "
     "consent of the data subject, and a request to suspend use or to stop "
     "provision to third parties does not stand in its way."},
    {v1::PROVISION_RECORD_REQUIRED, kPlain,
     "{recipient}について、提供の記録を作成し、{record_period}保存してください。",
     "For {recipient}, make a record of the provision and keep it "
     "{record_period}."},
    {v1::PROVISION_RECORD_NOT_REQUIRED, kPlain,
     "{recipient}への提供は、委託に伴う提供など第三者提供に当たらないため、提供の記録は要しません(第29条第1項ただし書)。",
     "Provision to {recipient} is not provision to a third party (it is, "
     "for example, "
     "entrustment of processing), so no record of provision is needed "
     "(proviso of APPI Article 29(1))."},
    {v1::PROVISION_RECORD_NOT_REQUIRED, kUnderLegalGround,
     "{legal_ground}による提供のため、提供の記録は要しません(第29条第1項ただし書)。",
     "A provision under the case {legal_ground} of the Act needs no record "
     "of provision (proviso of APPI Article 29(1))."},
    {v1::RECIPIENT_CONSENT_REQUIRED, kPlain,
     "{recipient}には、それを明示した本人の有効な同意が必要ですが、該当する同意がありません。",
     "{recipient} needs a valid consent that names it, and none does."},

    // consent_check
    {v1::NO_CONSENT, kPlain, "同意の記録がありません。",
     "There is no consent record."},
    {v1::WITHDRAWN, kPlain, "同意({consent})は撤回されています。",
     "Consent {consent} has been withdrawn."},
    {v1::EXPIRED, kPlain, "同意({consent})は有効期限を過ぎています。",
     "Consent {consent} has expired."},
    {v1::NOT_YET_VALID, kPlain,
     "同意({consent})はまだ取得されていません(取得日時が基準時刻より後です)。",
     "Consent {consent} was granted after the time of the decision."},
    {v1::OUT_OF_SCOPE, kPlain, "同意({consent})はこの利用を対象に含みません。",
     "Consent {consent} does not cover this use."},
    {v1::OUT_OF_SCOPE, kAboutCategory,
     "同意({consent})は{category}を対象に含みません。",
     "Consent {consent} does not cover {category}."},
    {v1::CATEGORY_NOT_NAMED, kPlain,
     "同意({consent})は対象の情報を特定しない同意のため、{category}には及びません。{category}には、それを明示した同意が必要です。",
     "Consent {consent} names no category, so it does not extend to "
     "{category}, which needs a consent that names it."},
    {v1::STALE_VERSION, kPlain,
     "同意({consent})は旧版の同意文言によるもので、第{min_version}版以降の同意が必要です。",
     "Consent {consent} was given under an older consent version; version "
     "{min_version} or later is needed."},
    {v1::SUBJECT_MISMATCH, kPlain, "同意({consent})は対象者とは別の方の同意です。",
     "Consent {consent} was given by someone other than the data subject."},
    {v1::MINOR_WITHOUT_REPRESENTATIVE, kPlain,
     "同意({consent})は{under_age}歳以下の方から取得したもので、法定代理人の同意が記録されていません。",
     "Consent {consent} was given by a person aged {under_age} or under, and "
     "no consent of a legal representative is recorded with it."},

    // retention_due
    {v1::PERIOD_RUNNING, kPlain, "保存期間中です({retain_until}まで保存)。",
     "The retention period runs until {retain_until}."},
    {v1::CLOCK_NOT_STARTED, kPlain,
     "保存期間の起算点(契約終了等)がまだ到来していないため、削除時期は未定です。",
     "The event that starts the retention period (such as the end of the "
     "contract) has not happened yet."},
    {v1::HOLD_APPLIES, kPlain,
     "保存期間は{retain_until}に満了しましたが、{hold_type}に当たるため保存を継続します。",
     "The retention period ended on {retain_until}, but the record is kept: "
     "{hold_type}."},
    {v1::HOLD_APPLIES, kHoldAfterErasure,
     "消去の請求に応じた記録ですが、{hold_type}に当たるため保存を継続します。",
     "The record's data was to be erased on request, but the record is "
     "kept: {hold_type}."},
    {v1::STATUTORY_FLOOR_APPLIES, kPlain,
     "{article}が定める保存期間が方針の保存期間より長いため、法定保存期間が満了する{retain_until}まで保存します。",
     "{article} requires the record to be kept longer than the policy's "
     "period: it is kept until {retain_until}, when the statutory period "
     "ends."},
    {v1::ERASURE_CARRIED_OUT, kPlain,
     "{request_type}の請求{request_ref}に応じて消去することとしたため、保存期間にかかわらず、この記録は直ちに削除の対象です。",
     "A {request_type} request{request_ref} was carried out by erasing the "
     "data: the record is due for deletion now, whatever its retention "
     "period."},
    {v1::ERASURE_DEFERRED_BY_LAW, kPlain,
     "{request_type}の請求{request_ref}に応じて消去することとしましたが、{article}により保存が義務付けられているため、法定保存期間が満了する{retain_until}まで保存し、その後削除します。",
     "A {request_type} request{request_ref} was carried out by erasing the "
     "data, but {article} requires the record to be kept: it is kept until "
     "{retain_until}, when the statutory period ends, and deleted then."},
    {v1::ERASURE_DEFERRED_BY_LAW, kLawClockNotStarted,
     "{request_type}の請求{request_ref}に応じて消去することとしましたが、{article}により保存が義務付けられており、法定保存期間がまだ始まっていないため(契約が終了していないため)、保存を継続します。",
     "A {request_type} request{request_ref} was carried out by erasing the "
     "data, but {article} requires the record to be kept, and the statutory "
     "period has not started yet (the contract has not ended): the record "
     "is kept."},
    {v1::CATEGORY_NOT_RETAINED_BY_KIND, kPlain,
     "{category}は保存期間の区分{kind}の対象として定められていません。どの保存期間を適用するかを担当者が確認し、判断してください。判断するまでは削除の対象としません。",
     "{category} is not among the information the retention row {kind} "
     "covers. A person must review which retention period applies and "
     "decide; until then the record is not due for deletion."},
    {v1::CATEGORY_NOT_RETAINED_BY_KIND, kNoKindHolds,
     "{category}には方針で保存期間が定められていません。保存期間を担当者が確認し、判断してください。判断するまでは削除の対象としません。",
     "The policy sets no retention period for {category}. A person must "
     "review which period applies and decide; until then the record is not "
     "due for deletion."},

    // request_validate
    {v1::CHANNEL_NOT_ACCEPTED, kPlain,
     "{channel}による請求は受け付けていません。請求は{accepted}で受け付けます。",
     "Requests are not accepted by {channel}; they are accepted by "
     "{accepted} only."},
    {v1::CHANNEL_NOT_ACCEPTED, kUnnamedChannel,
     "受付窓口以外の方法による請求は受け付けていません。請求は{accepted}で受け付けます。",
     "Requests are accepted by {accepted} only; {channel_id} is not a "
     "request channel."},
    {v1::DOCUMENT_MISSING, kPlain, "{document}の提出が必要です。",
     "The document {document} must be submitted."},
    {v1::DOCUMENT_MISSING, kRepresentativesOwn,
     "代理人ご自身の{document}の提出が必要です(ご本人のものではなく、請求される代理人のものです)。",
     "The representative's own {document} must be submitted: that of the "
     "person making the request, not the data subject's."},
    {v1::IDENTITY_NOT_VERIFIED, kPlain, "回答の前に本人確認が必要です。",
     "The requester's identity must be verified before the response."},
    {v1::FEE_UNPAID, kPlain, "手数料{fee_due}円のうち{fee_unpaid}円が未納です。",
     "{fee_unpaid} JPY of the {fee_due} JPY fee is unpaid."},
    {v1::FEE_UNPAID, kNothingPaid, "手数料{fee_due}円が未納です。",
     "The fee of {fee_due} JPY is unpaid."},
    {v1::FEE_NOT_CHARGEABLE, kPlain,
     "この請求には手数料がかかりませんが、{fee_paid}円を受領しています。全額を返金してください。",
     "This request carries no fee, but {fee_paid} JPY was received; refund "
     "it in full."},
    {v1::FEE_OVERPAID, kPlain,
     "この請求の手数料は{fee_due}円ですが、{fee_paid}円を受領しています。超過分の{fee_excess}円を返金してください。",
     "The fee for this request is {fee_due} JPY, but {fee_paid} JPY was "
     "received; refund the {fee_excess} JPY paid in excess."},
    {v1::RESPONSE_OVERDUE, kPlain, "回答期限({respond_by})を過ぎています。",
     "The response deadline ({respond_by}) has passed."},
    {v1::REVIEW_REQUIRED, kPlain,
     "{finding}担当者が確認し、対応を判断してください(自動では判断しません)。",
     "{finding} A person must review this and decide; pip does not decide "
     "it."},
    {v1::REVIEW_REQUIRED, kNoFinding,
     "請求をお断りする事由({ground})に当たる可能性があります。担当者が確認し、対応を判断してください(自動では判断しません)。",
     "A ground for declining the request ({ground}) may apply. A person must "
     "review this and decide; pip does not decide it."},

    // acquisition_check
    {v1::ACQUISITION_PERMITTED, kPlain,
     "{acquisition_channel}による取得は、対象の情報がいずれも方針の「取得方法」でこの方法により取得するものとされており、取得に適用される条件をすべて満たしています。",
     "Acquisition through {acquisition_channel}: the policy lists every "
     "category as information acquired this way, and every condition of "
     "acquisition is met."},
    {v1::CATEGORY_NOT_ACQUIRED_BY_CHANNEL, kPlain,
     "方針の「取得方法」では、{category}を{acquisition_channel}により取得する情報としていないため、この方法では取得できません。",
     "The policy does not list {category} among the information acquired "
     "through {acquisition_channel}, so it may not be acquired this way."},
    {v1::ACQUISITION_CONSENT_REQUIRED, kPlain,
     "{category}の取得には、{category}を明示した本人の同意(許可)をあらかじめ得ておく必要がありますが、有効な同意がありません。",
     "Acquiring {category} needs the data subject's prior valid consent "
     "naming {category}, and there is none."},
    {v1::CONSENT_RELIED, kForAcquisition,
     "{category}の取得は、本人の同意({consent})に基づきます。",
     "Acquiring {category} relies on the data subject's consent {consent}."},
    {v1::PUBLISHED_EXCEPTION_APPLIES, kPlain,
     "{category}は本人が公開しているため、本人の同意を得ずに取得できます。",
     "{category} has been published by the data subject, so it may be "
     "acquired without the data subject's consent."},
    {v1::PUBLISHED_EXCEPTION_APPLIES, kPublishedByPublicBody,
     "{category}は国の機関・地方公共団体等が公開しているため、本人の同意を得ずに取得できます。",
     "{category} has been published by a public body, so it may be acquired "
     "without the data subject's consent."},
    {v1::PUBLISHED_EXCEPTION_APPLIES, kPublishedByPress,
     "{category}は報道機関が公開しているため、本人の同意を得ずに取得できます。",
     "{category} has been published by the press, so it may be acquired "
     "without the data subject's consent."},
    {v1::SPECIAL_CARE_GROUND_APPLIES, kPlain,
     "{legal_ground}に当たるため、要配慮個人情報である{category}を本人の同意を得ずに取得できます。",
     "This falls under the case {legal_ground} of the Act: {category}, "
     "special care-required information, may be acquired without the data "
     "subject's consent."},
    {v1::PURPOSE_NOT_STATED, kPlain,
     "{acquisition_channel}では本人から書面(電磁的記録を含む)で直接取得するため、あらかじめ本人に利用目的を明示しなければなりませんが、明示されていません。",
     "Acquisition through {acquisition_channel} takes the information in "
     "writing (electronic records included) directly from the data subject: "
     "the purpose of use must be stated to the person beforehand, and it "
     "was not."},
    {v1::PURPOSE_STATED, kPlain,
     "{acquisition_channel}では本人から書面(電磁的記録を含む)で直接取得しますが、あらかじめ利用目的を明示しています。",
     "Acquisition through {acquisition_channel} takes the information in "
     "writing (electronic records included) directly from the data subject, "
     "and the purpose of use was stated beforehand."},
    {v1::PURPOSES_PUBLISHED, kPlain,
     "{acquisition_channel}による取得は本人から書面で直接取得するものではないため、方針で公表している利用目的により、利用目的の通知・公表の義務を満たしています。",
     "Acquisition through {acquisition_channel} is not in writing directly "
     "from the data subject: the purposes of use the policy publishes "
     "satisfy the duty to notify or publish the purpose."},
    {v1::CONFIRMATION_MISSING, kPlain,
     "第三者から提供を受ける際は、提供元の氏名又は名称を確認してください(確認されていません)。",
     "Confirm the provider's name before receiving the data; it has not "
     "been confirmed."},
    {v1::CONFIRMATION_MISSING, kMissingAddress,
     "第三者から提供を受ける際は、提供元の住所を確認してください(確認されていません)。",
     "Confirm the provider's address before receiving the data; it has not "
     "been confirmed."},
    {v1::CONFIRMATION_MISSING, kMissingRepresentative,
     "第三者から提供を受ける際は、提供元の代表者の氏名(法人の場合)を確認してください(確認されていません)。",
     "Confirm the name of the provider's representative (for a "
     "corporation) before receiving the data; it has not been confirmed."},
    {v1::CONFIRMATION_MISSING, kMissingHowObtained,
     "第三者から提供を受ける際は、提供元が当該個人データを取得した経緯を確認してください(確認されていません)。",
     "Confirm how the provider acquired the data before receiving it; it "
     "has not been confirmed."},
    {v1::CONFIRMATION_RECORD_REQUIRED, kPlain,
     "提供を受けた年月日、確認した事項等について確認記録を作成し、{confirmation_period}保存してください。",
     "Make a record of the confirmation (the date of receipt and the "
     "matters confirmed) and keep it {confirmation_period}."},
    {v1::CONFIRMATION_NOT_REQUIRED, kPlain,
     "委託に伴う提供であり第三者からの提供に当たらないため、提供元の確認及び確認記録の作成は要しません(第30条第1項ただし書)。",
     "The data comes with entrustment of processing, not from a third "
     "party, so neither the confirmation nor its record is needed (proviso "
     "of APPI Article 30(1))."},
    {v1::CONFIRMATION_NOT_REQUIRED, kFromSuccessor,
     "事業の承継に伴う提供であり第三者からの提供に当たらないため、提供元の確認及び確認記録の作成は要しません(第30条第1項ただし書)。",
     "The data comes with the succession of a business, not from a third "
     "party, so neither the confirmation nor its record is needed (proviso "
     "of APPI Article 30(1))."},
    {v1::CONFIRMATION_NOT_REQUIRED, kFromJointUser,
     "共同利用による提供であり第三者からの提供に当たらないため、提供元の確認及び確認記録の作成は要しません(第30条第1項ただし書)。",
     "The data comes from a joint user, not from a third party, so neither "
     "the confirmation nor its record is needed (proviso of APPI Article "
     "30(1))."},
    {v1::CONFIRMATION_NOT_REQUIRED, kUnderLegalGround,
     "{legal_ground}による提供のため、提供元の確認及び確認記録の作成は要しません(第30条第1項ただし書)。",
     "A provision under the case {legal_ground} of the Act needs neither "
     "the confirmation nor its record (proviso of APPI Article 30(1))."},

    // incident_assess
    {v1::INCIDENT_REPORTABLE, kPlain,
     "{incident}は、個人情報保護委員会への報告が必要な事態に当たります。該当する事由は次のとおりです。",
     "{incident} must be reported to the Personal Information Protection "
     "Commission, on the grounds that follow."},
    {v1::INCIDENT_NOT_REPORTABLE, kPlain,
     "{incident}は、個人情報保護委員会への報告が必要な事態(施行規則第7条各号)に当たりません。",
     "{incident} is none of the incidents that must be reported to the "
     "Commission (Enforcement Rules Article 7)."},
    {v1::SPECIAL_CARE_DATA_INVOLVED, kPlain,
     "要配慮個人情報である{category}が含まれています。",
     "It involves {category}, special care-required personal information."},
    {v1::FINANCIAL_HARM_POSSIBLE, kPlain,
     "{category}は、不正に利用されると財産的被害が生じるおそれがあります。",
     "Misuse of {category} may cause financial harm."},
    {v1::FINANCIAL_HARM_POSSIBLE, kNoCategory,
     "不正に利用されることにより財産的被害が生じるおそれがあります。",
     "Misuse of the data may cause financial harm."},
    {v1::WRONGFUL_PURPOSE_SUSPECTED, kPlain,
     "不正アクセス等、不正の目的をもって行われたおそれがある行為によるものです。",
     "It may have been caused by an act done for a wrongful purpose, such as "
     "unauthorized access."},
    {v1::DOCUMENTS_OR_DEVICES_STOLEN, kPlain,
     "書類又は機器の盗難によるもので、不正の目的をもって行われた行為に当たります。",
     "Documents or devices were stolen: an act done for a wrongful purpose."},
    {v1::DATA_BEING_ACQUIRED, kPlain,
     "取得しようとしていた個人情報(ウェブフォームの入力内容等)も、{acquisition_from}以降は不正の目的による漏えい等として報告対象に含まれます。",
     "Personal information the company was in the course of acquiring (such "
     "as web form entries) counts too, from {acquisition_from} on."},
    {v1::DATA_BEING_ACQUIRED_NOT_COVERED, kPlain,
     "取得しようとしていた個人情報の漏えい等が報告対象となるのは、{acquisition_from}以降に知ったもので、不正の目的をもって行われたおそれがある場合に限られます。本件はこれに当たりません。",
     "Personal information still being acquired counts only where a "
     "wrongful purpose may be behind the incident and the company became "
     "aware of it on or after {acquisition_from}; this incident is not such "
     "a case."},
    {v1::PEOPLE_OVER_THRESHOLD, kPlain,
     "本人の数が{people}人で、{people_threshold}人を超えています。",
     "{people} people are concerned, more than {people_threshold}."},
    {v1::PEOPLE_COUNT_UNKNOWN, kPlain,
     "本人の数が確定しておらず(現時点で判明しているのは{people}人)、{people_threshold}人を超えるおそれがあるため、報告対象として扱います。人数の確認を急いでください。",
     "The number of people is not known yet ({people} so far) and may "
     "exceed {people_threshold}, so the incident is treated as reportable; "
     "confirm the number."},
    {v1::ENCRYPTION_EXCLUDES, kPlain,
     "高度な暗号化等の措置が講じられ、復号鍵も漏えいしていないため、報告対象から除かれます。",
     "The data was protected by high-level encryption whose key did not "
     "leak, which excludes the incident from reporting."},
    {v1::ENCRYPTION_NOT_CONFIRMED, kPlain,
     "高度な暗号化がされていたこと、又は復号鍵が漏えいしていないことが確認できていないため、暗号化による除外は適用していません。",
     "High-level encryption, or the safety of its key, is not confirmed, so "
     "the encryption exclusion is not applied."},
    {v1::NOTIFY_PEOPLE, kPlain,
     "本人に対し、事態の状況に応じて速やかに、当該事態が生じた旨を通知してください。",
     "Notify the people concerned of the incident promptly, as the situation "
     "allows."},
    {v1::NOTICE_DIFFICULT, kPlain,
     "本人への通知が困難な場合は、事案の公表や問い合わせ窓口の設置など、本人の権利利益を保護するための代替措置をもって通知に代えることができます(法第26条第2項ただし書)。適用できるかは担当者が判断してください。",
     "Where notifying the people is difficult, alternative measures that "
     "protect them (a public announcement, an inquiry desk) may take the "
     "place of notice (APPI 26(2) proviso); a person must decide whether it "
     "applies."},
    {v1::PRELIMINARY_REPORT_DUE, kPlain,
     "速報は覚知後速やかに提出してください。目安は{preliminary_earliest}までで、遅くとも{preliminary_latest}までです(覚知日{aware_on}は算入しません)。",
     "Make the preliminary report promptly: by {preliminary_earliest}, and "
     "no later than {preliminary_latest} (the day of awareness, {aware_on}, "
     "not counted)."},
    {v1::FINAL_REPORT_DUE, kPlain,
     "確報は覚知日から{final_report_days}日以内({final_by}まで)に提出してください。",
     "Make the final report within {final_report_days} days of awareness, by "
     "{final_by}."},
    {v1::FINAL_REPORT_DUE, kWrongfulPurposePeriod,
     "確報は覚知日から{final_report_days}日以内({final_by}まで)に提出してください。不正の目的によるおそれがあるため、期間は{final_report_days}日です。",
     "Make the final report within {final_report_days} days of awareness, by "
     "{final_by}. The period is {final_report_days} days because a wrongful "
     "purpose may be behind the incident."},
    {v1::PRELIMINARY_REPORT_LATE, kPlain,
     "速報の期限の目安({preliminary_latest})を過ぎています。未提出であれば直ちに提出してください。",
     "The last day for the preliminary report ({preliminary_latest}) has "
     "passed; if it has not been made, make it at once."},
    {v1::FINAL_REPORT_LATE, kPlain,
     "確報の期限({final_by})を過ぎています。未提出であれば直ちに提出してください。",
     "The last day for the final report ({final_by}) has passed; if it has "
     "not been made, make it at once."},
    {v1::INCIDENT_DUTY, kPlain, "{duty}", "{duty}"},

    // contractor_check
    {v1::CONTRACTOR_QUALIFIED, kPlain,
     "委託先は選定基準をすべて満たし、委託契約に必須条項がすべて含まれ、安全管理状況の確認も期限内です。個人データの取扱いを委託できます。",
     "The contractor meets every selection criterion, its contract contains "
     "every mandatory term, and the check of its security management is "
     "current: the handling of personal data may be entrusted to it."},
    {v1::SELECTION_CRITERION_NOT_MET, kPlain,
     "委託先の選定基準{item}を満たしていることが確認できていません。確認できるまで個人データの取扱いを委託できません。",
     "The selection criterion {item} is not confirmed as met; personal data "
     "may not be entrusted to the contractor until it is."},
    {v1::CONTRACT_TERM_MISSING, kPlain,
     "委託契約に必須条項{item}が定められていません。契約に定めるまで個人データの取扱いを委託できません。",
     "The outsourcing contract lacks the mandatory term {item}; personal "
     "data may not be entrusted until the contract includes it."},
    {v1::SUPERVISION_CHECK_MISSING, kPlain,
     "委託先の{item}の記録がありません。安全管理状況を確認するまで個人データの取扱いを委託できません。",
     "There is no record of {item} for this contractor; personal data may "
     "not be entrusted until its security management has been checked."},
    {v1::SUPERVISION_CHECK_OVERDUE, kPlain,
     "前回の安全管理状況の確認({last_checked_on})から{interval}が経過しています(確認期限: {next_check_by})。改めて確認するまで個人データの取扱いを委託できません。",
     "The contractor's security management was last checked on "
     "{last_checked_on}, more than {interval} ago (the next check was due by "
     "{next_check_by}); personal data may not be entrusted until it is "
     "checked again."},
    {v1::SUPERVISION_MEASURE_OUTSTANDING, kPlain,
     "委託先の監督として{item}が必要ですが、まだ実施されていません。実施するまで個人データの取扱いを委託できません。",
     "Supervision of the contractor calls for {item}, which has not been "
     "carried out; personal data may not be entrusted until it is."},
    {v1::OVERSEAS_BASIS_MISSING, kPlain,
     "委託先は外国({country})にあります。外国にある第三者への提供を認める旨の本人の同意も、基準に適合する体制の整備及び継続的な措置も確認できないため、個人データの取扱いを委託できません。",
     "The contractor is in a foreign country ({country}). Neither the data "
     "subjects' consent to provision to a third party abroad nor a system "
     "meeting the standards with continuing measures is confirmed, so "
     "personal data may not be entrusted to it."},
    {v1::CONTINUING_MEASURES_MISSING, kPlain,
     "委託先は基準に適合する体制を整備していますが、相当措置の継続的な実施を確保するための措置(実施状況の定期的な確認等)が講じられていません。",
     "The contractor has a system meeting the standards, but the measures "
     "that ensure it keeps implementing equivalent measures (regular checks "
     "of how it does so, and the like) are not taken."},
    {v1::OVERSEAS_CONSENT_BASIS, kPlain,
     "外国({country})にある委託先への提供は、国名、当該外国の個人情報保護制度及び委託先の措置を本人に情報提供したうえで得た同意に基づきます({recipient})。",
     "Provision to the contractor in {country} rests on the data subjects' "
     "consent, given after they were informed of the country, its system for "
     "protecting personal information and the contractor's measures "
     "({recipient})."},
    {v1::OVERSEAS_EQUIVALENT_MEASURES_BASIS, kPlain,
     "外国({country})にある委託先は基準に適合する体制を整備しており、相当措置の継続的な実施を確保する措置も講じています({recipient})。本人の同意は要しません。",
     "The contractor in {country} has a system meeting the standards, and "
     "measures that ensure it keeps implementing equivalent measures are "
     "taken ({recipient}); the data subjects' consent is not needed."},

    // complaint_route
    {v1::COMPLAINT_NEXT_STEP, kPlain, "次の対応は{step}です(担当: {owner})。",
     "Next step: {step} Owner: {owner}."},
    {v1::COMPLAINT_CLOSED, kPlain, "社内対応体制の各段階を終えています。",
     "Every step of the internal handling is done."},
    {v1::EXTERNAL_BODY, kPlain,
     "当社での解決が困難な場合のご相談先: {body}({body_purpose})",
     "Where the company cannot resolve the complaint, the customer may turn "
     "to: {body} ({body_purpose})."},
};

// The placeholders a message may hold, each filled from the reason by
// Fill(); kSlotNames spells them in the same order.
enum class Slot : uint8_t {
  kCategory,
  kPurpose,
  kRecipient,
  kDocument,
  kRequestType,
  kHoldType,
  kChannel,
  kChannelId,
  kAccepted,
  kConsent,
  kRequestRef,
  kMinVersion,
  kUnderAge,
  kRetainUntil,
  kKind,
  kArticle,
  kRespondBy,
  kFeeDue,
  kFeePaid,
  kFeeUnpaid,
  kFeeExcess,
  kFinding,
  kGround,
  kIncident,
  kAcquisitionFrom,
  kPeople,
  kPeopleThreshold,
  kAwareOn,
  kPreliminaryEarliest,
  kPreliminaryLatest,
  kFinalBy,
  kFinalReportDays,
  kDuty,
  kStep,
  kOwner,
  kBody,
  kLegalGround,
  kRecordPeriod,
  kItem,
  kInterval,
  kLastCheckedOn,
  kNextCheckBy,
  kCountry,
  kAcquisitionChannel,
  kConfirmationPeriod,
  kBodyPurpose,
  kNone,  // a piece with no placeholder after its text
};
constexpr absl::string_view kSlotNames[] = {
    "category",
    "purpose",
    "recipient",
    "document",
    "request_type",
    "hold_type",
    "channel",
    "channel_id",
    "accepted",
    "consent",
    "request_ref",
    "min_version",
    "under_age",
    "retain_until",
    "kind",
    "article",
    "respond_by",
    "fee_due",
    "fee_paid",
    "fee_unpaid",
    "fee_excess",
    "finding",
    "ground",
    "incident",
    "acquisition_from",
    "people",
    "people_threshold",
    "aware_on",
    "preliminary_earliest",
    "preliminary_latest",
    "final_by",
    "final_report_days",
    "duty",
    "step",
    "owner",
    "body",
    "legal_ground",
    "record_period",
    "item",
    "interval",
    "last_checked_on",
    "next_check_by",
    "country",
    "acquisition_channel",
    "confirmation_period",
    "body_purpose",
};
static_assert(sizeof(kSlotNames) / sizeof(kSlotNames[0]) ==
              static_cast<size_t>(Slot::kNone));

// A message of kMessages cut once into its pieces: text, then the
// placeholder that follows it. Messages are filled for every reason of
// every decision, so the text is not searched for braces nor a
// placeholder's name compared with each name again on every call.
struct Template {
  struct Piece {
    absl::string_view literal;
    Slot slot;
  };
  std::vector<Piece> pieces;
};

// kMessages, cut into pieces, and the rows of each code.
struct CompiledMessages {
  struct Row {
    Template ja;
    Template en;
  };
  std::vector<Row> rows;                    // kMessages[i] is rows[i]
  std::vector<std::vector<size_t>> by_code;  // indexes of rows, by code
  // "{?name}" for a placeholder no reason fills, shown as it is.
  std::deque<std::string> unknown;
};

Template Cut(absl::string_view text, CompiledMessages& storage) {
  Template t;
  while (!text.empty()) {
    const size_t open = text.find('{');
    const size_t close =
        open == absl::string_view::npos ? open : text.find('}', open);
    if (close == absl::string_view::npos) {
      t.pieces.push_back({text, Slot::kNone});
      break;
    }
    const absl::string_view name = text.substr(open + 1, close - open - 1);
    const auto* found =
        std::find(std::begin(kSlotNames), std::end(kSlotNames), name);
    if (found == std::end(kSlotNames)) {
      // A row names what no reason has: shown, and caught by the tests.
      t.pieces.push_back({text.substr(0, open), Slot::kNone});
      t.pieces.push_back(
          {storage.unknown.emplace_back(absl::StrCat("{?", name, "}")),
           Slot::kNone});
    } else {
      t.pieces.push_back({text.substr(0, open),
                          static_cast<Slot>(found - std::begin(kSlotNames))});
    }
    text.remove_prefix(close + 1);
  }
  return t;
}

// What the placeholders of a message are filled from.
struct Env {
  const CompiledPolicy& policy;
  const ReasonRef& r;
  const ReasonIds& ids;
  const ReasonContext& ctx;
  const v1::RequestChannel* channel;  // of other_channels, or null
  const v1::ReviewGround* ground;     // of a REVIEW_REQUIRED, or null
};

// The policy item `r.provision` refers to, in the list its code names; null
// when the reason names none.
const v1::Provision* Duty(const CompiledPolicy& policy, const ReasonRef& r) {
  if (r.code != v1::INCIDENT_DUTY || r.provision < 0 ||
      r.provision >= policy.policy.incidents().duties_size()) {
    return nullptr;
  }
  return &policy.policy.incidents().duties(r.provision);
}
const CompiledComplaintStep* Step(const CompiledPolicy& policy,
                                  const ReasonRef& r) {
  if (r.code != v1::COMPLAINT_NEXT_STEP || r.provision < 0 ||
      static_cast<size_t>(r.provision) >= policy.complaint_steps.size()) {
    return nullptr;
  }
  return &policy.complaint_steps[r.provision];
}
const v1::ExternalBody* Body(const CompiledPolicy& policy,
                             const ReasonRef& r) {
  if (r.code != v1::EXTERNAL_BODY || r.provision < 0 ||
      static_cast<size_t>(r.provision) >= policy.external_bodies.size()) {
    return nullptr;
  }
  return policy.external_bodies[r.provision].source;
}

// The item of clause 6 `r.provision` refers to: a selection criterion
// (6.1), a contract term (6.2) or a supervision measure (6.3), by the code;
// null when the reason names none.
const v1::Provision* ContractorItem(const CompiledPolicy& policy,
                                    const ReasonRef& r) {
  const auto& cm = policy.policy.contractor_management();
  const google::protobuf::RepeatedPtrField<v1::Provision>* list = nullptr;
  switch (r.code) {
    case v1::SELECTION_CRITERION_NOT_MET:
      list = &cm.selection_criteria();
      break;
    case v1::CONTRACT_TERM_MISSING:
      list = &cm.required_contract_terms();
      break;
    case v1::SUPERVISION_CHECK_MISSING:
    case v1::SUPERVISION_CHECK_OVERDUE:
    case v1::SUPERVISION_MEASURE_OUTSTANDING:
      list = &cm.supervision();
      break;
    default:
      return nullptr;
  }
  if (r.provision < 0 || r.provision >= list->size()) return nullptr;
  return &list->Get(r.provision);
}

// A period as a person reads it: 1年 / 1 year, 6か月 / 6 months, 30日 / 30
// days.
void PeriodText(const v1::Period& p, bool ja, Text& out) {
  const int64_t n = p.years() > 0 ? p.years() : p.months() > 0 ? p.months()
                                                               : p.days();
  const char* ja_unit = p.years() > 0 ? "年" : p.months() > 0 ? "か月" : "日";
  const char* en_unit = p.years() > 0 ? " year" : p.months() > 0 ? " month"
                                                                 : " day";
  out << n;
  if (ja) {
    out << ja_unit;
  } else {
    out << en_unit << (n == 1 ? "" : "s");
  }
}

// The case of APPI 27(1) `r.provision` refers to; null when the reason
// names none.
const v1::LegalGroundType* Ground(const CompiledPolicy& policy,
                                  const ReasonRef& r) {
  if ((r.code != v1::LEGAL_GROUND_APPLIES &&
       r.code != v1::PROVISION_RECORD_NOT_REQUIRED &&
       r.code != v1::SPECIAL_CARE_GROUND_APPLIES &&
       r.code != v1::CONFIRMATION_NOT_REQUIRED) ||
      r.provision < 0 ||
      static_cast<size_t>(r.provision) >= policy.legal_grounds.size()) {
    return nullptr;
  }
  return policy.legal_grounds[r.provision].source;
}

// The incident as the law words it: 漏えい / leak, with のおそれ / possible
// when it is not confirmed.
void Incident(const ReasonContext& ctx, bool ja, Text& out) {
  absl::string_view kind_ja = "漏えい等";
  absl::string_view kind_en = "leak, loss or damage";
  switch (ctx.incident_kind) {
    case v1::INCIDENT_LEAK:
      kind_ja = "漏えい";
      kind_en = "leak";
      break;
    case v1::INCIDENT_LOSS:
      kind_ja = "滅失";
      kind_en = "loss";
      break;
    case v1::INCIDENT_DAMAGE:
      kind_ja = "毀損";
      kind_en = "damage";
      break;
    default:
      break;
  }
  if (ja) {
    out << "本件(" << kind_ja << (ctx.suspected ? "のおそれ" : "") << ")";
  } else {
    out << "This " << (ctx.suspected ? "possible " : "") << kind_en;
  }
}

// 「label」 in Japanese, 'label' in English.
void Quote(absl::string_view label, bool ja, Text& out) {
  if (ja) {
    out << "「" << label << "」";
  } else {
    out << "'" << label << "'";
  }
}

template <typename T>
void QuoteLabel(const T* item, absl::string_view fallback, bool ja,
                Text& out) {
  if (item == nullptr) {
    Quote(fallback, ja, out);
  } else {
    Quote(ja ? item->label_ja() : item->label_en(), ja, out);
  }
}

// The accepted request channels, "電話またはメール" / "Phone or Email".
void AcceptedChannels(const CompiledPolicy& policy, bool ja, Text& out) {
  bool first = true;
  for (const auto* ch : policy.request_channels) {
    if (!first) out << (ja ? "または" : " or ");
    first = false;
    out << (ja ? ch->label_ja() : ch->label_en());
  }
}

void Fill(Slot slot, bool ja, const Env& env, Text& out) {
  const CompiledPolicy& p = env.policy;
  const ReasonRef& r = env.r;
  const ReasonContext& ctx = env.ctx;
  switch (slot) {
    case Slot::kCategory: {
      QuoteLabel(r.category >= 0 ? p.categories[r.category].source : nullptr,
                 "", ja, out);
      break;
    }
    case Slot::kPurpose: {
      QuoteLabel(r.purpose >= 0 ? p.purposes[r.purpose].source : nullptr, "",
                 ja, out);
      break;
    }
    case Slot::kRecipient: {
      QuoteLabel(r.recipient >= 0 ? p.recipients[r.recipient].source : nullptr,
                 "", ja, out);
      break;
    }
    case Slot::kDocument: {
      QuoteLabel(r.document >= 0 ? p.documents[r.document].source : nullptr, "",
                 ja, out);
      break;
    }
    case Slot::kRequestType: {
      const int i = p.request_type_index.Find(env.ids.request_type);
      QuoteLabel(i >= 0 ? p.request_types[i].source : nullptr,
                 env.ids.request_type, ja, out);
      break;
    }
    case Slot::kHoldType: {
      const int i = p.hold_type_index.Find(env.ids.hold_type);
      QuoteLabel(i >= 0 ? p.hold_types[i] : nullptr, env.ids.hold_type, ja,
                 out);
      break;
    }
    case Slot::kChannel: {
      if (env.channel != nullptr) {
        out << (ja ? env.channel->label_ja() : env.channel->label_en());
      }
      break;
    }
    case Slot::kChannelId: {
      Quote(ctx.channel, ja, out);
      break;
    }
    case Slot::kAccepted: {
      AcceptedChannels(p, ja, out);
      break;
    }
    case Slot::kConsent: {
      out << env.ids.consent_id;
      break;
    }
    case Slot::kRequestRef: {
      if (!env.ids.request_id.empty()) {
        out << (ja ? "(" : " (") << env.ids.request_id << ")";
      }
      break;
    }
    case Slot::kMinVersion: {
      out << int64_t{p.min_consent_version};
      break;
    }
    case Slot::kUnderAge: {
      out << int64_t{p.representative_required_below_age - 1};
      break;
    }
    case Slot::kRetainUntil: {
      out << ctx.retain_until;
      break;
    }
    case Slot::kKind: {
      if (ctx.retention_kind >= 0) {
        Quote(ja ? p.retention_kinds[ctx.retention_kind].source->label_ja()
                 : p.retention_kinds[ctx.retention_kind].source->label_en(),
              ja, out);
      }
      break;
    }
    case Slot::kArticle: {
      if (r.article != kNoClause) {
        const v1::Clause& article = *p.clauses[r.article];
        out << (ja ? article.title_ja() : article.title_en());
      }
      break;
    }
    case Slot::kRespondBy: {
      out << ctx.respond_by;
      break;
    }
    case Slot::kFeeDue: {
      out << ctx.fee_due_jpy;
      break;
    }
    case Slot::kFeePaid: {
      out << ctx.fee_paid_jpy;
      break;
    }
    case Slot::kFeeUnpaid: {
      out << ctx.fee_due_jpy - ctx.fee_paid_jpy;
      break;
    }
    case Slot::kFeeExcess: {
      out << ctx.fee_paid_jpy - ctx.fee_due_jpy;
      break;
    }
    case Slot::kFinding: {
      if (env.ground != nullptr) {
        out << (ja ? env.ground->finding_ja() : env.ground->finding_en());
      }
      break;
    }
    case Slot::kGround: {
      if (env.ground != nullptr) Quote(env.ground->id(), ja, out);
      break;
    }
    case Slot::kIncident: {
      Incident(ctx, ja, out);
      break;
    }
    case Slot::kAcquisitionFrom: {
      out << p.policy.incidents().acquisition_counts_from();
      break;
    }
    case Slot::kPeople: {
      out << ctx.people;
      break;
    }
    case Slot::kPeopleThreshold: {
      out << int64_t{p.incidents.people_threshold};
      break;
    }
    case Slot::kAwareOn: {
      out << ctx.aware_on;
      break;
    }
    case Slot::kPreliminaryEarliest: {
      out << ctx.preliminary_earliest;
      break;
    }
    case Slot::kPreliminaryLatest: {
      out << ctx.preliminary_latest;
      break;
    }
    case Slot::kFinalBy: {
      out << ctx.final_by;
      break;
    }
    case Slot::kFinalReportDays: {
      out << ctx.final_report_days;
      break;
    }
    case Slot::kDuty: {
      if (const v1::Provision* duty = Duty(p, r)) {
        out << (ja ? duty->text_ja() : duty->text_en());
      }
      break;
    }
    case Slot::kStep: {
      if (const CompiledComplaintStep* step = Step(p, r)) {
        if (ja) {
          Quote(step->source->text_ja(), ja, out);
        } else {
          out << step->source->text_en();
        }
      }
      break;
    }
    case Slot::kOwner: {
      if (const CompiledComplaintStep* step = Step(p, r)) {
        const v1::ComplaintRole& owner = *p.complaint_roles[step->owner];
        out << (ja ? owner.label_ja() : owner.label_en());
      }
      break;
    }
    case Slot::kBody: {
      if (const v1::ExternalBody* body = Body(p, r)) {
        out << (ja ? body->label_ja() : body->label_en());
      }
      break;
    }
    case Slot::kLegalGround: {
      QuoteLabel(Ground(p, r), "", ja, out);
      break;
    }
    case Slot::kRecordPeriod: {
      const auto& rule = p.policy.third_party_provision().record();
      out << (ja ? rule.period_ja() : rule.period_en());
      break;
    }
    case Slot::kItem: {
      if (const v1::Provision* item = ContractorItem(p, r)) {
        Quote(ja ? absl::string_view(item->text_ja())
                 : absl::StripSuffix(item->text_en(), "."),
              ja, out);
      }
      break;
    }
    case Slot::kInterval: {
      PeriodText(p.policy.contractor_management().review_interval(), ja, out);
      break;
    }
    case Slot::kLastCheckedOn: {
      out << ctx.last_checked_on;
      break;
    }
    case Slot::kNextCheckBy: {
      out << ctx.next_check_by;
      break;
    }
    case Slot::kCountry: {
      out << ctx.country;
      break;
    }
    case Slot::kAcquisitionChannel: {
      QuoteLabel(r.channel >= 0 && static_cast<size_t>(r.channel) <
                                       p.acquisition_channels.size()
                     ? p.acquisition_channels[r.channel].source
                     : nullptr,
                 "", ja, out);
      break;
    }
    case Slot::kConfirmationPeriod: {
      if (p.acquisition.record_kind >= 0) {
        const auto& kind = p.retention_kinds[p.acquisition.record_kind];
        if (ja) {
          out << kind.source->period_ja();
        } else {
          out << "for " << int64_t{kind.period.whole_years}
              << " years from the day it is made";
        }
      }
      break;
    }
    case Slot::kBodyPurpose: {
      if (const v1::ExternalBody* body = Body(p, r)) {
        out << (ja ? body->purpose_ja() : body->purpose_en());
      }
      break;
    }
    case Slot::kNone:
      break;
  }
}

// Appends a message with its placeholders filled.
void Render(const Template& text, bool ja, const Env& env, Text& out) {
  for (const Template::Piece& piece : text.pieces) {
    if (!piece.literal.empty()) out << piece.literal;
    if (piece.slot != Slot::kNone) Fill(piece.slot, ja, env, out);
  }
}

const v1::RequestChannel* OtherChannel(const CompiledPolicy& policy,
                                       absl::string_view id) {
  for (const auto& ch : policy.policy.requests().other_channels()) {
    if (ch.id() == id) return &ch;
  }
  return nullptr;
}

// The wordings an evaluator chooses (ReasonRef::wording), by code: the
// evaluator's value and the row it picks. A value not listed is kPlain.
constexpr struct {
  v1::ReasonCode code;
  uint8_t value;
  Wording wording;
} kEvaluatorsWordings[] = {
    {v1::SUSPENDED_BY_REQUEST, eval_internal::kScopedToPurposes,
     kScopedToPurposes},
    {v1::SUSPENDED_BY_REQUEST, eval_internal::kScopedToCategories,
     kScopedToCategories},
    {v1::SUSPENDED_BY_REQUEST, eval_internal::kScopedToBoth, kScopedToBoth},
    {v1::THIRD_PARTY_STOPPED, eval_internal::kScopedToPurposes,
     kScopedToPurposes},
    {v1::THIRD_PARTY_STOPPED, eval_internal::kScopedToCategories,
     kScopedToCategories},
    {v1::THIRD_PARTY_STOPPED, eval_internal::kScopedToBoth, kScopedToBoth},
    {v1::CONSENT_RELIED, eval_internal::kForAcquisition, kForAcquisition},
    {v1::CONFIRMATION_MISSING, eval_internal::kProviderAddress,
     kMissingAddress},
    {v1::CONFIRMATION_MISSING, eval_internal::kProviderRepresentative,
     kMissingRepresentative},
    {v1::CONFIRMATION_MISSING, eval_internal::kHowObtained,
     kMissingHowObtained},
    {v1::CONFIRMATION_NOT_REQUIRED, v1::PROVIDER_SUCCESSOR, kFromSuccessor},
    {v1::CONFIRMATION_NOT_REQUIRED, v1::PROVIDER_JOINT_USER, kFromJointUser},
    {v1::PUBLISHED_EXCEPTION_APPLIES, v1::PUBLISHED_BY_PUBLIC_BODY,
     kPublishedByPublicBody},
    {v1::PUBLISHED_EXCEPTION_APPLIES, v1::PUBLISHED_BY_PRESS,
     kPublishedByPress},
    {v1::ERASURE_DEFERRED_BY_LAW, eval_internal::kClockNotStarted,
     kLawClockNotStarted},
    {v1::HOLD_APPLIES, eval_internal::kAfterErasure, kHoldAfterErasure},
};

Wording EvaluatorsWording(const ReasonRef& r) {
  for (const auto& w : kEvaluatorsWordings) {
    if (w.code == r.code && w.value == r.wording) return w.wording;
  }
  return kPlain;
}

Wording WordingOf(const Env& env) {
  const ReasonRef& r = env.r;
  switch (r.code) {
    case v1::PURPOSE_PERMITTED:
      return static_cast<Wording>(r.wording);
    case v1::CONSENT_REQUIRED:
      if (r.category < 0) return kAboutPurpose;
      return env.policy.named_consent_categories.Contains(r.category)
                 ? kNamedCategory
                 : kPlain;
    case v1::OUT_OF_SCOPE:
      return r.category >= 0 ? kAboutCategory : kPlain;
    case v1::FEE_UNPAID:
      return env.ctx.fee_paid_jpy == 0 ? kNothingPaid : kPlain;
    case v1::DOCUMENT_MISSING:
      return env.ctx.by_representative && r.document >= 0 &&
                     env.policy.documents[r.document].source->of_requester()
                 ? kRepresentativesOwn
                 : kPlain;
    case v1::CHANNEL_NOT_ACCEPTED:
      return env.channel == nullptr ? kUnnamedChannel : kPlain;
    case v1::REVIEW_REQUIRED:
      return env.ground == nullptr || env.ground->finding_ja().empty() ||
                     env.ground->finding_en().empty()
                 ? kNoFinding
                 : kPlain;
    case v1::FINANCIAL_HARM_POSSIBLE:
      return r.category >= 0 ? kPlain : kNoCategory;
    case v1::CATEGORY_NOT_RETAINED_BY_KIND:
      for (const auto& k : env.policy.retention_kinds) {
        if (r.category >= 0 && k.categories.Contains(r.category)) {
          return kPlain;
        }
      }
      return kNoKindHolds;
    case v1::PROVISION_RECORD_NOT_REQUIRED:
      return Ground(env.policy, r) != nullptr ? kUnderLegalGround : kPlain;
    case v1::CONFIRMATION_NOT_REQUIRED:
      return Ground(env.policy, r) != nullptr ? kUnderLegalGround
                                              : EvaluatorsWording(r);
    case v1::FINAL_REPORT_DUE: {
      const auto& in = env.policy.incidents;
      return env.ctx.final_report_days ==
                         in.final_report_period_wrongful_purpose.days &&
                     env.ctx.final_report_days != in.final_report_period.days
                 ? kWrongfulPurposePeriod
                 : kPlain;
    }
    default:
      // The evaluator's own finer finding, if it made one.
      return EvaluatorsWording(r);
  }
}

const CompiledMessages& Compiled() {
  static const CompiledMessages* const compiled = [] {
    auto* c = new CompiledMessages;
    for (size_t i = 0; i < std::size(kMessages); ++i) {
      const MessageRow& row = kMessages[i];
      c->rows.push_back({Cut(row.ja, *c), Cut(row.en, *c)});
      const size_t code = static_cast<size_t>(row.code);
      if (c->by_code.size() <= code) c->by_code.resize(code + 1);
      c->by_code[code].push_back(i);
    }
    return c;
  }();
  return *compiled;
}

// The row of `code` and `wording`, or of `code` alone; null for a code
// without messages.
const CompiledMessages::Row* RowOf(v1::ReasonCode code, Wording wording) {
  const CompiledMessages& c = Compiled();
  const size_t at = static_cast<size_t>(code);
  if (at >= c.by_code.size()) return nullptr;
  const CompiledMessages::Row* plain = nullptr;
  for (size_t i : c.by_code[at]) {
    if (kMessages[i].wording == wording) return &c.rows[i];
    if (kMessages[i].wording == kPlain) plain = &c.rows[i];
  }
  return plain;
}

void Messages(const CompiledPolicy& policy, const ReasonRef& r,
              const ReasonIds& ids, const ReasonContext& ctx, Text& ja,
              Text& en) {
  const Env env{
      policy, r, ids, ctx,
      r.code == v1::CHANNEL_NOT_ACCEPTED ? OtherChannel(policy, ctx.channel)
                                         : nullptr,
      r.review >= 0 ? policy.review_grounds[r.review].source : nullptr};
  const CompiledMessages::Row* row = RowOf(r.code, WordingOf(env));
  if (row == nullptr) return;
  Render(row->ja, true, env, ja);
  Render(row->en, false, env, en);
}

}  // namespace

std::vector<ReasonWording> ReasonWordings() {
  std::vector<ReasonWording> out;
  for (const MessageRow& row : kMessages) {
    out.push_back({row.code, row.wording, row.ja, row.en});
  }
  return out;
}

Text& Text::operator<<(int64_t number) {
  char* digits;
  if (digits_used_ < 2) {
    digits = digits_[digits_used_++];
  } else {
    more_digits_.emplace_front(absl::numbers_internal::kFastToBufferSize, '\0');
    digits = &more_digits_.front()[0];
  }
  char* end = absl::numbers_internal::FastIntToBuffer(number, digits);
  return *this << absl::string_view(digits, static_cast<size_t>(end - digits));
}

void Text::AppendTo(std::string* out) const {
  out->reserve(out->size() + size_);
  for (absl::string_view piece : pieces_) out->append(piece.data(), piece.size());
}

char* Text::CopyTo(char* out) const {
  for (absl::string_view piece : pieces_) {
    std::memcpy(out, piece.data(), piece.size());
    out += piece.size();
  }
  return out;
}

std::string Text::ToString() const {
  std::string s;
  AppendTo(&s);
  return s;
}

void DescribeReason(const CompiledPolicy& policy, const ReasonRef& r,
                    const ReasonIds& ids, const ReasonContext& ctx,
                    ReasonFields* out) {
  out->code = r.code;
  out->clause = policy.clause_number(r.clause);
  if (r.category >= 0) out->category = policy.categories[r.category].source->id();
  if (r.purpose >= 0) out->purpose = policy.purposes[r.purpose].source->id();
  if (r.recipient >= 0) {
    out->recipient = policy.recipients[r.recipient].source->id();
  }
  if (r.document >= 0) {
    out->document = policy.documents[r.document].source->id();
  }
  if (r.review >= 0) {
    out->review_ground = policy.review_grounds[r.review].source->id();
  }
  if (r.article != kNoClause) out->article = policy.clause_number(r.article);
  if (const v1::Provision* duty = Duty(policy, r)) {
    out->provision = duty->id();
  } else if (const CompiledComplaintStep* step = Step(policy, r)) {
    out->provision = step->source->id();
  } else if (const v1::ExternalBody* body = Body(policy, r)) {
    out->provision = body->id();
  } else if (r.code == v1::STATUTORY_FLOOR_APPLIES && r.provision >= 0 &&
             static_cast<size_t>(r.provision) <
                 policy.statutory_floors.size()) {
    out->provision = policy.statutory_floors[r.provision].source->id();
  } else if (const v1::LegalGroundType* ground = Ground(policy, r)) {
    out->provision = ground->id();  } else if (const v1::Provision* item = ContractorItem(policy, r)) {
    out->provision = item->id();
  }
  if (r.channel >= 0 &&
      static_cast<size_t>(r.channel) < policy.acquisition_channels.size()) {
    out->channel = policy.acquisition_channels[r.channel].source->id();
  }
  out->ids = ids;
  Messages(policy, r, ids, ctx, out->message_ja, out->message_en);
}

}  // namespace engine_internal
}  // namespace pip
