fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            // Every app command needs an explicit grant in a capability.
            .app_manifest(tauri_build::AppManifest::new().commands(&[
                "startup_report",
                "queue_counts",
                "queue_page",
                "server_status",
                "ticket_row",
                "ticket_conversation",
                "mark_ticket_read",
                "search_tickets",
                "desk_agent",
                "breach_board",
                "ticket_sla",
                "alert_settings",
                "set_alert_settings",
                "ticket_on_screen",
                "team_agents",
                "reassign",
                "ticket_card",
                "compose_preview",
                "canned_responses",
                "ticket_draft",
                "save_draft",
                "clear_draft",
                "queue_change",
                "outbox_items",
                "resolve_outbox_entry",
                "sync_status",
                "ui_preferences",
                "set_ui_preferences",
            ])),
    )
    .expect("tauri-build failed: see the message above");
}
