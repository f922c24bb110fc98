/**
 * What an AI agent is told about an operation beyond its action ("Get many devices"), by
 * `resource.operation`: what the answer holds when it is Datto's own object, and what to know
 * before calling it. Written for the tool, not the editor: nothing about parameters the model may
 * not be able to set (tool.ts adds the inputs it can set), nor about the editor.
 */
export const TOOL_NOTES: Record<string, string> = {
	'device.getById': "By the device's numeric id (the id field of a device), not its uid",
	'device.getManyWithNetworkInterfaces': 'The devices of one site in short form, each with its network adapters (IP and MAC addresses)',
	'device.findByHostname': 'Hostnames are compared ignoring case',
	'device.move':
		'Answers with the site the device was in and the site it is in now; moving a device to the site it is already in changes nothing and says so (changed: false)',
	'device.setUdfs': 'Only the UDFs given change; an empty value clears one. Answers with the old and the new value of each UDF',
	'device.setWarranty': 'Answers with the old and the new warranty date',
	'site.create': 'Answers with the new site and its uid',
	'site.update': 'Fields not given keep their values',
	'site.getSettings': 'General settings, proxy settings and mail recipients of the site',
	'site.updateProxy': "Replaces the proxy server the site's agents use to reach Datto RMM",
	'site.deleteProxy': "The site's agents then connect directly",
	'alert.getMany': 'Datto offers no time filter: compare alertUid or raised with earlier answers to find new alerts',
	'alert.resolve': 'Resolving an alert that is already resolved changes nothing and says so (changed: false)',
	'job.getComponents': 'The components (scripts) the job runs, with the variable values it runs them with',
	'job.getOutput': 'One result per component with its stdData text; none while the job has not finished',
	'job.runQuickJob':
		'Runs a component (script) on the device as a quick job and answers at once with the job (its uid, to follow it). Sent once, never repeated: the script never runs twice',
	'job.runQuickJobAndWait':
		'Runs a component (script) on the device as a quick job, waits until it completes or times out, and answers with its status, stdout and stderr. Sent once, never repeated',
	'account.get': 'Name, currency and device counts of the Datto RMM account',
	'account.getDnetSiteMappings': 'Sites mapped to Datto Networking networks: site id, uid, name and the network ids',
	'audit.getDevice':
		'The hardware and system audit of a computer or server (deviceClass "device"): system info, BIOS, processors, memory, disks, displays, network adapters',
	'audit.getPrinter': 'The audit of a printer (deviceClass "printer"): SNMP info, supplies (toner, ink) and network adapters',
	'audit.getEsxiHost': 'The audit of a VMware ESXi host (deviceClass "esxihost"): processors, memory, datastores, guests',
	'audit.getSoftware': 'The software audited on a computer or server (deviceClass "device"): one result per application with its version',
	'audit.getByMacAddress': 'The audits of the computers or servers with a network adapter of this MAC address',
	'activityLog.getMany': "Who did what and when, in a time window (the last 24 hours unless set). Each entry's date is epoch seconds",
	'filter.getMany': 'Device filters with their numeric ids and names',
	'variable.getMany': 'Variables with their numeric ids, names and values; masked values are hidden',
	'variable.create': 'A masked value is never shown again',
	'variable.update': 'What is left empty keeps its current value',
	'variable.delete': 'Components that read it no longer get a value',
	'user.getMany': 'Users of the account: username, name, email, status, creation and last access',
	'user.resetApiKeys':
		'WARNING: replaces the API key and secret this tool itself uses, at once: every integration using them stops working until given the new pair',
	'component.getMany': 'Components (scripts) jobs can run: uid, name, category, description and their input variables',
	'system.getStatus': 'Version, status and start time of the Datto RMM API',
	'system.getRequestRate': "The account's rate-limit use: requests in the sliding window against the limit (600 per 60 seconds)",
	'system.getPagination': "The account's page size for lists",
};
