/* placeholder: being written */
typedef int kp_placeholder_core_config;
