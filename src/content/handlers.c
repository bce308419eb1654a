/* placeholder: being written */
typedef int kp_placeholder_content_handlers;
