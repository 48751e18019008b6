#!/usr/bin/env bash
# Walks one 一事一议 project from lead to IN_PRODUCTION with curl, as the demo accounts of §7, against a
# running service (npm start). Every step shows the task in its owner's inbox before completing it.
#   bash scripts/walkthrough.sh            (API at http://localhost:3000; API=… to change)
set -euo pipefail
API=${API:-http://localhost:3000}/api/v1
PASSWORD=${DEMO_PASSWORD:-nanxian-demo}
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);const r=new Function("v","return "+process.argv[1])(v);process.stdout.write(typeof r==="string"?r:JSON.stringify(r))})' "$1"; }
declare -A TOKENS
token() {
  if [ -z "${TOKENS[$1]:-}" ]; then
    TOKENS[$1]=$(curl -sf "$API/auth/login" -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" | json v.token)
  fi
  echo "${TOKENS[$1]}"
}
call() { # call USER METHOD PATH [BODY]
  local user=$1 method=$2 path=$3 body=${4:-}
  if [ -n "$body" ]; then
    curl -s -X "$method" "$API$path" -H "authorization: Bearer $(token "$user")" -H 'content-type: application/json' -d "$body"
  else
    curl -s -X "$method" "$API$path" -H "authorization: Bearer $(token "$user")"
  fi
}
# show the task in USER's inbox, then complete it as USER with BODY
step() { # step USER TYPE BODY
  local user=$1 type=$2 body=$3
  local task
  task=$(call "$user" GET "/tasks?projectId=$ID&type=$type" | json 'v.items[0] ? v.items[0].id + " " + v.items[0].title + " (" + v.items[0].candidateGroup + ")" : ""')
  if [ -z "$task" ]; then echo "!! no $type task in the inbox of $user" >&2; exit 1; fi
  echo "$user 的待办: $task"
  local stage
  stage=$(call "$user" POST "/tasks/${task%% *}/complete" "$body" | json 'v.stage || JSON.stringify(v)')
  echo "   → $stage"
}

TODAY=$(date -u +%F)
ID=$(call info1 POST /projects '{"name":"南县高端医疗器械产业园（一事一议）","investor":"深圳某医疗科技股份有限公司","investorOrigin":"OUT_OF_PROVINCE","industryChain":"HEALTH","channel":"KINSHIP","plannedInvestmentWan":120000,"landMu":200,"isCaseByCase":true,"confirmDuplicate":true}' | json v.id)
echo "登记线索: $ID (workflow project-$ID)"
step info1      lead.verify          '{"outcome":"accept","data":{"landingSiteId":"L01","responsibleUnitId":"R00"}}'
step commerce1  contact.inspect      '{"outcome":"done"}'
step commerce1  plan.submit          '{"outcome":"submit","data":{"plannedInvestmentWan":120000,"landMu":200,"expectedJobs":1500,"expectedAnnualTaxWan":6000}}'
step assess1    prelim.review        '{"outcome":"pass"}'
step negotiate1 negotiation.conduct  '{"outcome":"agreed","data":{"terms":"土地、税收、人才政策按一事一议协议执行"}}'
step kfq1       materials.prepare    '{"outcome":"submit"}'
step openeco    prereview.check      '{"outcome":"pass"}'
step vicehead   review.meeting       '{"outcome":"approve"}'
step govoffice  executive.deliberate "{\"outcome\":\"approve\",\"data\":{\"meetingKind\":\"STANDING_COMMITTEE\",\"meetingDate\":\"$TODAY\",\"decisionNo\":\"南政常〔2026〕9号\",\"specialTerms\":\"前三年地方留成税收全额奖补\"}}"
step commerce1  contract.signoff     '{"outcome":"approve"}'
step justice1   contract.signoff     '{"outcome":"approve"}'
step vicehead   contract.signoff     '{"outcome":"approve"}'
step countyhead contract.signoff     '{"outcome":"approve"}'
step commerce1  signing.ceremony     "{\"outcome\":\"signed\",\"data\":{\"signedDate\":\"$TODAY\",\"contractNo\":\"NXHT-$ID\",\"signedAmountWan\":120000}}"
step factor1    milestone.landSupply        "{\"outcome\":\"done\",\"data\":{\"date\":\"$TODAY\"}}"
step factor1    milestone.landCertificate   "{\"outcome\":\"done\",\"data\":{\"date\":\"$TODAY\"}}"
step kfq1       milestone.constructionStart "{\"outcome\":\"done\",\"data\":{\"date\":\"$TODAY\"}}"
step kfq1       milestone.productionStart   "{\"outcome\":\"done\",\"data\":{\"date\":\"$TODAY\"}}"
echo
echo "项目 $ID: $(call admin GET "/projects/$ID" | json 'v.stage + ", timeline " + v.timeline.length + " entries"')"
echo "Temporal: npm run temporal -- workflow list --query 'ProjectStage=\"IN_PRODUCTION\"'"
