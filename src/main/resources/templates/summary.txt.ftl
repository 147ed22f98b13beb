Invoice harvest ${months} (run ${runId}, ${trigger}, started ${startedAt})

${filesListed} files listed, ${filesStored} new, ${filesSkipped} already stored, <#if filesNotWanted gt 0>${filesNotWanted} not of the fetched types, </#if><#if filesLeftOut gt 0>${filesLeftOut} left out by the routes, </#if><#if filesNotFetched gt 0>${filesNotFetched} not fetched (the run stopped fetching), </#if><#if filesDiscarded gt 0>${filesDiscarded} discarded from the quarantine, </#if>${failureCount} failed.
<#if overview?has_content>

Totals by provider and currency:
<#list overview as o>
  ${o.provider} ${o.month} ${o.currency} ${o.amount}  (${o.change})
</#list>
</#if>
<#if !detailed>
<#if allFlags?has_content>

RECONCILIATION FLAGS (${allFlags?size}):
<#list allFlags as f>
  ! ${f}
</#list>
</#if>
<#if failures?has_content>

FAILURES (${failureCount}):
<#list failures as f>
  - ${f.item}: ${f.message}
</#list>
<#if failureCount gt failures?size>
  ... and ${failureCount - failures?size} more (all of them in the state database, run ${runId})
</#if>
</#if>

Per account and month: ${groupCount} account-months, one line each in the attached ${detailsFile}.
</#if>
<#list groups as g>

== ${g.provider} - account ${g.account} - ${g.month} ==
Invoices: ${g.invoices}, credit memos: ${g.creditMemos}<#if g.debitMemos gt 0>, debit memos: ${g.debitMemos}</#if>
<#if g.otherTypes?has_content>
Other types: ${g.otherTypes} - not known to the harvester: amounts as the files state them
</#if>
New files: ${g.newFiles?size}<#if g.newVersions gt 0> (new versions: ${g.newVersions})</#if>
<#list g.newFiles as f>
  - ${f}
</#list>
<#if g.totals?has_content>
Totals:
<#list g.totals as t>
  ${t.currency} ${t.amount}  (${t.change})
</#list>
</#if>
<#if g.services?has_content>
Top services:
<#list g.services as s>
  ${s.name}: ${s.currency} ${s.amount}
</#list>
</#if>
<#if g.flags?has_content>
RECONCILIATION FLAGS:
<#list g.flags as f>
  ! ${f}
</#list>
</#if>
</#list>
<#if estimates?has_content>

Month-to-date estimates:
<#list estimates as e>
  ~ ${e}
</#list>
</#if>
<#if notices?has_content>

Operator notices:
<#list notices as n>
  * ${n}
</#list>
</#if>
<#if waiting?has_content>

WAITING ON A PERSON (${waiting?size}; reported before, not failing this run):
<#list waiting as w>
  . ${w}
</#list>
</#if>
<#if detailed && failures?has_content>

FAILURES (${failureCount}):
<#list failures as f>
  - ${f.item}: ${f.message}
</#list>
<#if failureCount gt failures?size>
  ... and ${failureCount - failures?size} more (all of them in the state database, run ${runId})
</#if>
</#if>
<#if attachments?has_content>

Attached: ${attachments?join(", ")}
</#if>
<#if notAttached?has_content>

Not attached (the mail's size limit, harvester.mail.max-bytes), on the harvester's disk: ${notAttached?join(", ")}
</#if>
