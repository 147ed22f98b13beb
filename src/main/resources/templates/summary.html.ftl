<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>${subject?html}</title></head>
<body style="font-family: sans-serif; font-size: 14px">
<h2>Invoice harvest ${months?html}</h2>
<p>Run ${runId?html} (${trigger?html}), started ${startedAt?html}:
 ${filesListed} files listed, <b>${filesStored} new</b>, ${filesSkipped} already stored,<#if filesNotWanted gt 0> ${filesNotWanted} not of the fetched types,</#if><#if filesLeftOut gt 0> <b>${filesLeftOut} left out by the routes</b>,</#if><#if filesNotFetched gt 0> ${filesNotFetched} not fetched (the run stopped fetching),</#if><#if filesDiscarded gt 0> ${filesDiscarded} discarded from the quarantine,</#if>
 <b<#if failures?has_content> style="color:#b00"</#if>>${failureCount} failed</b>.</p>
<#if overview?has_content>
<h3>Totals by provider and currency</h3>
<table border="1" cellpadding="4" cellspacing="0">
<tr><th>Provider</th><th>Month</th><th>Currency</th><th>Total</th><th>Change</th></tr>
<#list overview as o><tr><td>${o.provider?html}</td><td>${o.month?html}</td><td>${o.currency?html}</td><td align="right">${o.amount?html}</td><td>${o.change?html}</td></tr></#list>
</table>
</#if>
<#if trendRows?has_content>
<h3>Billed cost per month</h3>
<#if chartCid?has_content><p><img src="cid:${chartCid?html}" alt="Billed cost per month, per provider and currency (the table below holds the figures)" width="720"></p></#if>
<table border="1" cellpadding="4" cellspacing="0">
<tr><th>Month</th><#list trendColumns as c><th>${c?html}</th></#list></tr>
<#list trendRows as r><tr><td>${r.month?html}</td><#list r.amounts as a><td align="right">${a?html}</td></#list></tr></#list>
</table>
</#if>
<#if !detailed>
<#if allFlags?has_content>
<p style="color:#b00"><b>Reconciliation flags (${allFlags?size}):</b></p>
<ul><#list allFlags as f><li style="color:#b00">${f?html}</li></#list></ul>
</#if>
<#if failures?has_content>
<h3 style="color:#b00">Failures (${failureCount})</h3>
<ul><#list failures as f><li><b>${f.item?html}</b>: ${f.message?html}</li></#list>
<#if failureCount gt failures?size><li>... and ${failureCount - failures?size} more (all of them in the state database, run ${runId?html})</li></#if></ul>
</#if>
<p>Per account and month: ${groupCount} account-months, one line each in the attached ${detailsFile?html}.</p>
</#if>
<#list groups as g>
<h3>${g.provider?html} &middot; account ${g.account?html} &middot; ${g.month?html}</h3>
<#if g.otherTypes?has_content><p style="color:#b00">Other types: ${g.otherTypes?html} - not known to the harvester: amounts as the files state them</p></#if>
<p>Invoices: ${g.invoices}, credit memos: ${g.creditMemos}<#if g.debitMemos gt 0>, debit memos: ${g.debitMemos}</#if>; new files: ${g.newFiles?size}<#if g.newVersions gt 0> (new versions: ${g.newVersions})</#if></p>
<#if g.newFiles?has_content><ul><#list g.newFiles as f><li>${f?html}</li></#list></ul></#if>
<#if g.totals?has_content>
<table border="1" cellpadding="4" cellspacing="0">
<tr><th>Currency</th><th>Total</th><th>Change</th></tr>
<#list g.totals as t><tr><td>${t.currency?html}</td><td align="right">${t.amount?html}</td><td>${t.change?html}</td></tr></#list>
</table>
</#if>
<#if g.services?has_content>
<p>Top services:</p>
<table border="1" cellpadding="4" cellspacing="0">
<#list g.services as s><tr><td>${s.name?html}</td><td>${s.currency?html}</td><td align="right">${s.amount?html}</td></tr></#list>
</table>
</#if>
<#if g.flags?has_content>
<p style="color:#b00"><b>Reconciliation flags:</b></p>
<ul><#list g.flags as f><li style="color:#b00">${f?html}</li></#list></ul>
</#if>
</#list>
<#if estimates?has_content>
<h3>Month-to-date estimates</h3>
<ul><#list estimates as e><li><i>${e?html}</i></li></#list></ul>
</#if>
<#if notices?has_content>
<h3>Operator notices</h3>
<ul><#list notices as n><li>${n?html}</li></#list></ul>
</#if>
<#if waiting?has_content>
<h3>Waiting on a person (${waiting?size})</h3>
<p>Reported before; they do not fail this run.</p>
<ul><#list waiting as w><li>${w?html}</li></#list></ul>
</#if>
<#if detailed && failures?has_content>
<h3 style="color:#b00">Failures (${failureCount})</h3>
<ul><#list failures as f><li><b>${f.item?html}</b>: ${f.message?html}</li></#list>
<#if failureCount gt failures?size><li>... and ${failureCount - failures?size} more (all of them in the state database, run ${runId?html})</li></#if></ul>
</#if>
<#if notAttached?has_content><p>Not attached (the mail's size limit, harvester.mail.max-bytes), on the harvester's disk: ${notAttached?join(", ")?html}</p></#if>
<#if attachments?has_content><p>Attached: ${attachments?join(", ")?html}</p></#if>
</body></html>
