extension PolicyPlan {
    /// How an identity's Kubernetes service accounts, `may_act_for` and token settings differ;
    /// `nil` stands for the identity missing from that side.
    static func settingChanges(old: Identity?, new: Identity?) -> [IdentitySettingChange] {
        let oldAccounts = old?.kubernetesServiceAccounts.map(\.description) ?? []
        let newAccounts = new?.kubernetesServiceAccounts.map(\.description) ?? []
        return listChanges(.kubernetes, old: oldAccounts, new: newAccounts)
            + listChanges(.mayActFor, old: old?.mayActFor ?? [], new: new?.mayActFor ?? [])
            + [ttlChange(old: old, new: new)].compactMap { $0 }
            + audienceChanges(old: old, new: new)
    }

    /// Audiences compare as issued, defaults included, except that an identity added or removed
    /// with only the default audience lists none: every identity gets that one.
    private static func audienceChanges(old: Identity?, new: Identity?) -> [IdentitySettingChange] {
        let present = [old, new].compactMap { $0 }
        if present.count == 1, present[0].allowedAudiences == TokenSettings.defaultAudiences { return [] }
        return listChanges(.tokenAudience, old: old?.allowedAudiences ?? [], new: new?.allowedAudiences ?? [])
    }

    private static func listChanges(_ setting: IdentitySettingChange.Setting, old: [String], new: [String]) -> [IdentitySettingChange] {
        new.filter { !old.contains($0) }.map { IdentitySettingChange(status: .added, setting: setting, value: $0) }
            + old.filter { !new.contains($0) }.map { IdentitySettingChange(status: .removed, setting: setting, value: $0) }
    }

    /// The token lifetime's change: added or removed with the identity, otherwise changed, with
    /// `default` standing for a lifetime left to the issuer.
    private static func ttlChange(old: Identity?, new: Identity?) -> IdentitySettingChange? {
        let before = old?.tokenTTL, after = new?.tokenTTL
        guard before != after else { return nil }
        let text = { (ttl: Duration?) in ttl.map(DurationText.format) ?? "default" }
        if old == nil { return IdentitySettingChange(status: .added, setting: .tokenTTL, value: text(after)) }
        if new == nil { return IdentitySettingChange(status: .removed, setting: .tokenTTL, value: text(before)) }
        return IdentitySettingChange(status: .changed, setting: .tokenTTL, value: text(after), previous: text(before))
    }
}
